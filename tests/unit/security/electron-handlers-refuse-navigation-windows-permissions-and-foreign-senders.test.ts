// The shell's hardening, run against recorders standing in for Electron's objects (no Electron binary
// here): what each installed handler answers when a page tries to navigate, open windows, ask for
// permissions, download, attach a webview, or send requests from a frame that is not our UI.
import { pathToFileURL } from 'node:url'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { Reply } from '../../../src-preload/contract.ts'
import { REQUEST_NAMES } from '../../../src-shared/names.ts'
import { subscribeClient } from '../../../src-main/core/service/events.ts'

type Listener = (...args: unknown[]) => unknown

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (...args: unknown[]) => unknown>()
  const appListeners = new Map<string, (...args: unknown[]) => unknown>()
  const sandboxEnabled = { value: false }
  return {
    handlers,
    appListeners,
    sandboxEnabled,
    module: {
      app: {
        enableSandbox: () => void (sandboxEnabled.value = true),
        on: (name: string, listener: (...args: unknown[]) => unknown) => void appListeners.set(name, listener),
      },
      ipcMain: {
        handle: (name: string, listener: (...args: unknown[]) => unknown) => void handlers.set(name, listener),
        removeHandler: (name: string) => void handlers.delete(name),
      },
    },
  }
})
vi.mock('electron', () => electron.module)

const { hardenContents, hardenSession, installHardening } = await import('../../../src-main/electron/security.ts')
const { registerRequestHandlers, forwardEvents } = await import('../../../src-main/electron/ipc.ts')
const { isTrustedUiUrl } = await import('../../../src-main/electron/policy.ts')

/** An event object like Electron's: records preventDefault. */
function event(): { prevented: boolean; preventDefault(): void } {
  return {
    prevented: false,
    preventDefault() {
      this.prevented = true
    },
  }
}

/** Records what hardenSession and hardenContents install. */
class FakeSession {
  permissionRequest?: (contents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void
  permissionCheck?: (...args: unknown[]) => boolean
  devicePermission?: (...args: unknown[]) => boolean
  headers?: (details: { responseHeaders?: Record<string, string[]> }, callback: (r: { responseHeaders: Record<string, string[]> }) => void) => void
  readonly listeners = new Map<string, Listener>()
  readonly webRequest = { onHeadersReceived: (f: NonNullable<FakeSession['headers']>) => void (this.headers = f) }
  setPermissionRequestHandler(f: NonNullable<FakeSession['permissionRequest']>): void {
    this.permissionRequest = f
  }
  setPermissionCheckHandler(f: NonNullable<FakeSession['permissionCheck']>): void {
    this.permissionCheck = f
  }
  setDevicePermissionHandler(f: NonNullable<FakeSession['devicePermission']>): void {
    this.devicePermission = f
  }
  on(name: string, listener: Listener): void {
    this.listeners.set(name, listener)
  }
}

class FakeContents {
  readonly listeners = new Map<string, Listener>()
  windowOpen?: (details: { url: string }) => { action: string }
  on(name: string, listener: Listener): this {
    this.listeners.set(name, listener)
    return this
  }
  setWindowOpenHandler(f: (details: { url: string }) => { action: string }): void {
    this.windowOpen = f
  }
}

const PERMISSIONS = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'hid', 'serial', 'usb', 'display-capture', 'idle-detection', 'window-management', 'unknown']

describe('Electron hardening', () => {
  it('denies every permission request and check, every device, and every download', () => {
    const session = new FakeSession()
    hardenSession(session as never)
    for (const permission of PERMISSIONS) {
      const answers: boolean[] = []
      session.permissionRequest?.({}, permission, (granted) => answers.push(granted), { requestingUrl: 'file:///index.html' })
      expect(answers, permission).toEqual([false])
      expect(session.permissionCheck?.({}, permission, 'file://', {}), permission).toBe(false)
    }
    expect(session.devicePermission?.({ deviceType: 'usb', origin: 'file://' })).toBe(false)
    const download = event()
    session.listeners.get('will-download')?.(download, {}, {})
    expect(download.prevented).toBe(true)
  })

  it('adds the CSP to every response of the session', () => {
    const session = new FakeSession()
    hardenSession(session as never)
    let sent: Record<string, string[]> = {}
    session.headers?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => (sent = r.responseHeaders))
    expect(String(sent['Content-Security-Policy'])).toMatch(/^default-src 'self'; script-src 'self';/)
    expect(String(sent['Content-Security-Policy'])).not.toMatch(/unsafe-eval|https?:\/\//)
  })

  it('prevents navigation, redirects and webviews, and denies every new window', () => {
    const contents = new FakeContents()
    hardenContents(contents as never)
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const e = event()
      contents.listeners.get(name)?.(e, 'https://evil.example/', {})
      expect(e.prevented, name).toBe(true)
    }
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'about:blank', 'javascript:alert(1)']) {
      expect(contents.windowOpen?.({ url }), url).toEqual({ action: 'deny' })
    }
  })

  it('turns on the sandbox for every renderer and hardens every web contents created later', () => {
    installHardening()
    expect(electron.sandboxEnabled.value).toBe(true)
    const contents = new FakeContents()
    electron.appListeners.get('web-contents-created')?.({}, contents)
    expect(contents.windowOpen?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    const e = event()
    contents.listeners.get('will-navigate')?.(e, 'https://evil.example/')
    expect(e.prevented).toBe(true)
  })
})

describe('IPC request handlers', () => {
  const index = '/opt/tagsmith/out/renderer/index.html'
  const ours = pathToFileURL(index).href
  const calls: Array<{ name: unknown; input: unknown }> = []
  const service = {
    handle: async (name: unknown, input: unknown): Promise<Reply> => {
      calls.push({ name, input })
      return { ok: true, result: 'served' }
    },
  }

  beforeEach(() => {
    calls.length = 0
    electron.handlers.clear()
  })

  /** An invoke event from a frame at `url`; `parent` set means an iframe. */
  const from = (url: string, parent: object | null = null, id = 7): unknown => ({ senderFrame: { url, parent }, sender: { id } })

  it('registers exactly one handler per request in the allow-list, and removes them all', () => {
    const off = registerRequestHandlers(service as never, (url) => isTrustedUiUrl(url, index))
    expect([...electron.handlers.keys()].sort()).toEqual([...REQUEST_NAMES].sort())
    off()
    expect(electron.handlers.size).toBe(0)
  })

  it('answers requests from our UI’s top frame, and refuses iframes, other pages and missing frames without reaching the service', async () => {
    registerRequestHandlers(service as never, (url) => isTrustedUiUrl(url, index))
    for (const name of REQUEST_NAMES) {
      const handler = electron.handlers.get(name)
      expect(await handler?.(from(ours), { probe: name })).toEqual({ ok: true, result: 'served' })
      for (const [what, e] of [
        ['an iframe of our page', from(ours, { url: ours })],
        ['a remote page', from('https://evil.example/')],
        ['another local file', from('file:///srv/evil.html')],
        ['a destroyed frame', { senderFrame: null, sender: { id: 7 } }],
      ] as const) {
        expect(await handler?.(e, {}), `${name} from ${what}`).toEqual({
          ok: false,
          error: { code: 'BAD_INPUT', message: `${name}: refused a request from an untrusted frame` },
        })
      }
    }
    expect(calls.map((c) => c.name)).toEqual([...REQUEST_NAMES])
  })

  it('does not echo a window’s own label edits back to it, and sends nothing to a destroyed window', () => {
    const sent: string[] = []
    const emitters = new Map<string, { listeners: Array<(p: unknown, origin?: string) => void> }>()
    const events = new Proxy(
      {},
      {
        get: (_t, name: string) => {
          const entry = emitters.get(name) ?? { listeners: [] }
          emitters.set(name, entry)
          return { on: (l: (p: unknown, origin?: string) => void) => (entry.listeners.push(l), () => undefined) }
        },
      },
    )
    let destroyed = false
    const win = { webContents: { id: 3, isDestroyed: () => destroyed, send: (name: string) => sent.push(name) }, once: () => undefined }
    // The service's own subscription rule, over these recording emitters.
    const subscribe = (name: never, client: string, listener: (payload: unknown) => void): (() => void) => subscribeClient(events as never, name, client, listener)
    forwardEvents({ events, subscribe } as never, win as never)
    const emit = (name: string, origin?: string): void => emitters.get(name)?.listeners.forEach((l) => l({}, origin))
    emit('labels:changed', 'window-3')
    emit('labels:changed', 'window-4')
    emit('job:progress')
    destroyed = true
    emit('job:progress')
    expect(sent).toEqual(['labels:changed', 'job:progress'])
  })
})
