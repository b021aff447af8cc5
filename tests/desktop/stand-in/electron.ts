// A stand-in for the 'electron' module as the built main process sees it, for machines without the Electron
// binary. It keeps Electron's rules where breaking them would break the real app (no window or protocol
// handler before ready, privileged schemes only before ready and only once, one handler per IPC channel,
// arguments structured-cloned) and records what the app did, so tests can read it back.
import { EventEmitter } from 'node:events'
import { mkdtempSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { recorded, type HostNotice } from './recorded.ts'

import { utilityProcess as utilityProcessStandIn } from './utility-process.ts'

type Listener = (...args: never[]) => unknown

function notify(message: HostNotice): void {
  process.send?.(message)
}

function requireReady(what: string): void {
  if (!recorded.ready) throw new Error(`${what} cannot be used before the app is ready`)
}

const appPath = process.env.TAGSMITH_STANDIN_APP_PATH ?? process.cwd()
const userData =
  process.env.TAGSMITH_STANDIN_USER_DATA ?? mkdtempSync(path.join(tmpdir(), 'tagsmith-standin-'))

class App extends EventEmitter {
  readonly isPackaged = process.env.TAGSMITH_STANDIN_PACKAGED === '1'
  readonly #ready: Promise<void>
  #markReady!: () => void

  constructor() {
    super()
    this.#ready = new Promise((resolve) => (this.#markReady = resolve))
  }

  whenReady(): Promise<void> {
    return this.#ready
  }
  isReady(): boolean {
    return recorded.ready
  }
  /** Called by the host once the main script's first turn has run, as Electron does. */
  becomeReady(): void {
    recorded.ready = true
    this.emit('will-finish-launching')
    this.emit('ready', {}, {})
    this.#markReady()
  }
  requestSingleInstanceLock(): boolean {
    recorded.singleInstanceLockRequested = true
    return process.env.TAGSMITH_STANDIN_LOCK_TAKEN !== '1'
  }
  enableSandbox(): void {
    if (recorded.ready) throw new Error('app.enableSandbox() must be called before the app is ready')
    recorded.sandboxEnabled = true
  }
  getAppPath(): string {
    return appPath
  }
  getPath(name: string): string {
    return name === 'userData' || name === 'appData' ? userData : path.join(userData, name)
  }
  getVersion(): string {
    return (JSON.parse(readFileSync(path.join(appPath, 'package.json'), 'utf8')) as { version: string })
      .version
  }
  getName(): string {
    return 'Tagsmith'
  }
  quit(): void {
    if (recorded.quitting) return
    recorded.quitting = true
    // Like Electron: windows close first, then before-quit / will-quit, then the process ends.
    setImmediate(() => {
      for (const win of [...windows]) win.close()
      this.emit('before-quit', { preventDefault() {} })
      this.emit('will-quit', { preventDefault() {} })
      this.emit('quit', {}, 0)
      notify({ type: 'quit' })
      setImmediate(() => process.exit(0))
    })
  }
}

export const app = new App()

class WebContents extends EventEmitter {
  static #nextId = 1
  readonly id = WebContents.#nextId++
  #destroyed = false
  windowOpenHandler: unknown = null

  send(channel: string, ...args: unknown[]): void {
    if (this.#destroyed) throw new Error('Object has been destroyed')
    // Electron serializes event arguments with the structured-clone algorithm too.
    notify({ type: 'send', webContentsId: this.id, channel, args: structuredClone(args) })
  }
  isDestroyed(): boolean {
    return this.#destroyed
  }
  setWindowOpenHandler(handler: unknown): void {
    this.windowOpenHandler = handler
  }
  destroy(): void {
    this.#destroyed = true
    this.emit('destroyed')
  }
}

const windows: BrowserWindow[] = []

export class BrowserWindow extends EventEmitter {
  static #nextId = 1
  readonly id = BrowserWindow.#nextId++
  readonly webContents = new WebContents()
  #visible = false

  constructor(options: Record<string, unknown> = {}) {
    super()
    if (!recorded.ready) throw new Error('Cannot create BrowserWindow before app is ready')
    recorded.windows.push({
      id: this.id,
      webContentsId: this.webContents.id,
      options: structuredClone(options),
      loaded: null,
      visible: false,
    })
    windows.push(this)
    app.emit('web-contents-created', {}, this.webContents)
    recorded.webContents.push({
      id: this.webContents.id,
      guards: this.webContents.eventNames().map(String),
      windowOpenHandler: typeof this.webContents.windowOpenHandler === 'function',
    })
  }

  static getAllWindows(): BrowserWindow[] {
    return [...windows]
  }
  static getFocusedWindow(): BrowserWindow | null {
    return windows[0] ?? null
  }
  static fromWebContents(contents: unknown): BrowserWindow | null {
    return windows.find((w) => w.webContents === contents) ?? null
  }

  loadFile(file: string): Promise<void> {
    return this.#load(pathToFileURL(path.resolve(file)).href)
  }
  loadURL(url: string): Promise<void> {
    return this.#load(url)
  }
  async #load(url: string): Promise<void> {
    const entry = recorded.windows.find((w) => w.id === this.id)
    if (entry) entry.loaded = url
    notify({ type: 'window', id: this.id, webContentsId: this.webContents.id, url })
  }
  /** The host's page painted: Electron emits ready-to-show then. */
  painted(): void {
    this.emit('ready-to-show')
  }
  show(): void {
    this.#visible = true
    const entry = recorded.windows.find((w) => w.id === this.id)
    if (entry) entry.visible = true
  }
  isVisible(): boolean {
    return this.#visible
  }
  isMinimized(): boolean {
    return false
  }
  restore(): void {}
  focus(): void {}
  close(): void {
    const at = windows.indexOf(this)
    if (at < 0) return
    windows.splice(at, 1)
    this.webContents.destroy()
    this.emit('closed')
    if (windows.length === 0) app.emit('window-all-closed')
  }
}

export const ipcMain = {
  handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown): void {
    if (recorded.ipcHandlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`)
    recorded.ipcHandlers.set(channel, handler)
  },
  removeHandler(channel: string): void {
    recorded.ipcHandlers.delete(channel)
  },
  on(): void {
    throw new Error('ipcMain.on is not used by this app: requests go through ipcMain.handle')
  },
}

export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string; privileges?: Record<string, boolean> }[]): void {
    if (recorded.ready)
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready')
    if (recorded.privilegedSchemes !== null)
      throw new Error('protocol.registerSchemesAsPrivileged can only be called once')
    recorded.privilegedSchemes = structuredClone(schemes)
  },
  handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void {
    requireReady('protocol.handle')
    if (recorded.protocolHandlers.has(scheme)) throw new Error(`The scheme has been registered: ${scheme}`)
    recorded.protocolHandlers.set(scheme, handler)
  },
}

export const net = {
  /** Electron's net.fetch reads file: URLs; Node's fetch does not. */
  async fetch(url: string, init?: RequestInit): Promise<Response> {
    if (url.startsWith('file:')) return new Response(await readFile(fileURLToPath(url)))
    return fetch(url, init)
  },
}

class Session extends EventEmitter {
  readonly webRequest = {
    onHeadersReceived: (listener: Listener): void => {
      recorded.session.headersListener = listener
    },
  }
  setPermissionRequestHandler(handler: Listener): void {
    recorded.session.permissionRequest = handler
  }
  setPermissionCheckHandler(handler: Listener): void {
    recorded.session.permissionCheck = handler
  }
  setDevicePermissionHandler(handler: Listener): void {
    recorded.session.devicePermission = handler
  }
  override on(event: string | symbol, listener: (...args: unknown[]) => void): this {
    recorded.session.events.push(String(event))
    return super.on(event, listener)
  }
}

let defaultSession: Session | null = null
export const session = {
  get defaultSession(): Session {
    requireReady('session.defaultSession')
    defaultSession ??= new Session()
    return defaultSession
  },
}

export const dialog = {
  async showOpenDialog(...args: unknown[]): Promise<{ canceled: boolean; filePaths: string[] }> {
    const options = args.length > 1 ? args[1] : args[0]
    recorded.dialogs.push(structuredClone(options))
    const answer = recorded.dialogAnswers.shift()
    return answer ? { canceled: false, filePaths: answer } : { canceled: true, filePaths: [] }
  },
  showErrorBox(title: string, content: string): void {
    recorded.errorBoxes.push([title, content])
  },
}

interface MenuItemOptions {
  label?: string
  role?: string
  accelerator?: string
  submenu?: MenuItemOptions[]
  click?: () => void
}

export class Menu {
  constructor(readonly items: MenuItemOptions[]) {}
  static buildFromTemplate(template: MenuItemOptions[]): Menu {
    return new Menu(template)
  }
  static setApplicationMenu(menu: Menu | null): void {
    recorded.menu = menu?.items ?? null
  }
}

export const webUtils = {
  getPathForFile(): string {
    return ''
  },
}

/** Electron's utilityProcess (see utility-process.ts), recording which modules the app started in one. */
export const utilityProcess: typeof utilityProcessStandIn = {
  fork(modulePath, args, options) {
    recorded.utilityProcesses.push({ modulePath, serviceName: options?.serviceName ?? null })
    return utilityProcessStandIn.fork(modulePath, args, options)
  },
}

export const shell = {
  async openExternal(url: string): Promise<void> {
    recorded.openedExternally.push(url)
  },
}

export default { app, BrowserWindow, ipcMain, protocol, net, session, dialog, Menu, webUtils, shell, utilityProcess }
