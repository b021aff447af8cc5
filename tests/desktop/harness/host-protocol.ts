// Messages between a test and the main-process host (main-host.ts), over a Node IPC channel with
// structured-clone ('advanced') serialization, as Electron's IPC clones values.

export interface FrameInfo {
  url: string
  isTop: boolean
}

export type HostRequest =
  | { type: 'invoke'; id: number; channel: string; args: unknown[]; frame: FrameInfo }
  | { type: 'fetch'; id: number; url: string; method: string }
  | { type: 'inspect'; id: number }
  | { type: 'painted'; id: number }
  | { type: 'dialog-answer'; id: number; paths: string[] }
  | { type: 'second-instance'; id: number; argv: string[] }
  | { type: 'quit'; id: number }

export type HostReply =
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }

export interface ProtocolAnswer {
  status: number
  headers: Record<string, string>
  body: Uint8Array
}

/** What the app did to Electron, as far as a test can see it (functions replaced by what they answer). */
export interface Snapshot {
  ready: boolean
  singleInstanceLockRequested: boolean
  sandboxEnabled: boolean
  privilegedSchemes: { scheme: string; privileges?: Record<string, boolean> }[] | null
  protocolHandlers: string[]
  ipcChannels: string[]
  windows: { id: number; options: Record<string, unknown>; loaded: string | null; visible: boolean }[]
  webContents: {
    id: number
    guards: string[]
    windowOpenHandler: boolean
    openAnswer: unknown
    navigationPrevented: boolean
  }[]
  session: {
    permissionRequestGranted: boolean | null
    permissionCheckGranted: boolean | null
    devicePermissionGranted: boolean | null
    downloadsPrevented: boolean
    headers: Record<string, string[]> | null
  }
  menuLabels: string[]
  dialogs: unknown[]
  errorBoxes: [string, string][]
  utilityProcesses: { modulePath: string; serviceName: string | null }[]
}
