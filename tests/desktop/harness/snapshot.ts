// Reads back what the built main process did to the stand-in Electron, asking each handler it installed
// what it answers (a permission request, a new window, a navigation, a download, a response's headers).
import { BrowserWindow, session } from '../stand-in/electron.ts'
import { recorded } from '../stand-in/recorded.ts'
import type { Snapshot } from './host-protocol.ts'

type Callback<T> = (value: T) => void

function preventedBy(emit: (event: { preventDefault(): void }) => void): boolean {
  let prevented = false
  emit({ preventDefault: () => (prevented = true) })
  return prevented
}

/** What a handler answers, by its return value or through the callback Electron passes after `before`. */
function answerOf<T>(handler: unknown, before: unknown[], after: unknown[] = []): T | null {
  if (typeof handler !== 'function') return null
  let answer: T | null = null
  const callback: Callback<T> = (value) => (answer = value)
  const result = (handler as (...a: unknown[]) => T | undefined)(...before, callback, ...after)
  return answer ?? result ?? null
}

function menuLabels(items: unknown[] | null): string[] {
  const labels: string[] = []
  const walk = (list: unknown[]): void => {
    for (const item of list as { label?: string; role?: string; submenu?: unknown[] }[]) {
      labels.push(item.label ?? `role:${item.role ?? ''}`)
      if (Array.isArray(item.submenu)) walk(item.submenu)
    }
  }
  walk(items ?? [])
  return labels
}

function responseHeaders(listener: unknown): Record<string, string[]> | null {
  if (typeof listener !== 'function') return null
  let headers: Record<string, string[]> | null = null
  listener(
    { url: 'file:///index.html', responseHeaders: { 'Content-Type': ['text/html'] } },
    (answer: { responseHeaders: Record<string, string[]> }) => {
      headers = answer.responseHeaders
    },
  )
  return headers
}

export function snapshot(): Snapshot {
  const contents = BrowserWindow.getAllWindows().map((w) => w.webContents)
  const defaultSession = recorded.ready ? session.defaultSession : null
  return {
    ready: recorded.ready,
    singleInstanceLockRequested: recorded.singleInstanceLockRequested,
    sandboxEnabled: recorded.sandboxEnabled,
    privilegedSchemes: recorded.privilegedSchemes,
    protocolHandlers: [...recorded.protocolHandlers.keys()],
    ipcChannels: [...recorded.ipcHandlers.keys()],
    windows: recorded.windows.map(({ id, options, loaded, visible }) => ({ id, options, loaded, visible })),
    webContents: recorded.webContents.map((entry) => {
      const live = contents.find((c) => c.id === entry.id)
      return {
        ...entry,
        openAnswer: answerOf(live?.windowOpenHandler, [{ url: 'https://example.org/' }]),
        navigationPrevented: live
          ? preventedBy((event) => live.emit('will-navigate', event, 'https://example.org/'))
          : false,
      }
    }),
    session: {
      permissionRequestGranted: answerOf<boolean>(recorded.session.permissionRequest, [null, 'media'], [{}]),
      permissionCheckGranted: answerOf<boolean>(recorded.session.permissionCheck, [
        null,
        'media',
        'file://',
        {},
      ]),
      devicePermissionGranted: answerOf<boolean>(recorded.session.devicePermission, [{}]),
      downloadsPrevented: defaultSession
        ? preventedBy((event) => defaultSession.emit('will-download', event, {}, null))
        : false,
      headers: responseHeaders(recorded.session.headersListener),
    },
    menuLabels: menuLabels(recorded.menu),
    dialogs: recorded.dialogs,
    errorBoxes: recorded.errorBoxes,
    utilityProcesses: recorded.utilityProcesses,
  }
}
