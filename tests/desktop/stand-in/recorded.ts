// What the built main process did to the stand-in Electron, kept on globalThis so the host and the stand-in
// module see one record however they were loaded.

export type IpcHandler = (event: unknown, ...args: unknown[]) => unknown
export type ProtocolHandler = (request: Request) => Response | Promise<Response>

export interface WindowRecord {
  id: number
  webContentsId: number
  options: Record<string, unknown>
  /** the address the app loaded into it */
  loaded: string | null
  visible: boolean
}

export interface Recorded {
  ready: boolean
  quitting: boolean
  singleInstanceLockRequested: boolean
  sandboxEnabled: boolean
  /** null until registerSchemesAsPrivileged is called (which the stand-in allows only before ready) */
  privilegedSchemes: { scheme: string; privileges?: Record<string, boolean> }[] | null
  protocolHandlers: Map<string, ProtocolHandler>
  ipcHandlers: Map<string, IpcHandler>
  windows: WindowRecord[]
  /** the events each web contents guards, as registered by the app's 'web-contents-created' listener */
  webContents: { id: number; guards: string[]; windowOpenHandler: boolean }[]
  session: {
    headersListener: unknown
    permissionRequest: unknown
    permissionCheck: unknown
    devicePermission: unknown
    events: string[]
  }
  menu: unknown[] | null
  dialogs: unknown[]
  /** dialog.showErrorBox calls: [title, content] */
  errorBoxes: [string, string][]
  /** answers the next open dialogs give, in order; none left: cancelled */
  dialogAnswers: string[][]
  openedExternally: string[]
  /** utilityProcess.fork calls */
  utilityProcesses: { modulePath: string; serviceName: string | null }[]
}

/** Messages the host sends its parent on its own. */
export type HostNotice =
  | { type: 'window'; id: number; webContentsId: number; url: string }
  | { type: 'send'; webContentsId: number; channel: string; args: unknown[] }
  | { type: 'quit' }

const key = Symbol.for('tagsmith.electron-stand-in')
const store = globalThis as unknown as Record<symbol, Recorded | undefined>

export const recorded: Recorded = (store[key] ??= {
  ready: false,
  quitting: false,
  singleInstanceLockRequested: false,
  sandboxEnabled: false,
  privilegedSchemes: null,
  protocolHandlers: new Map(),
  ipcHandlers: new Map(),
  windows: [],
  webContents: [],
  session: {
    headersListener: null,
    permissionRequest: null,
    permissionCheck: null,
    devicePermission: null,
    events: [],
  },
  menu: null,
  dialogs: [],
  errorBoxes: [],
  dialogAnswers: [],
  openedExternally: [],
  utilityProcesses: [],
})
