// One ipcMain handler per request name in the allow-list (never a generic pass-through), each refusing
// senders other than our own UI's top frame, then handing the input to the service, which validates it.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type WebFrameMain } from 'electron'
import type { EventName, Reply } from '../../src-preload/contract.ts'
import type { Service } from '../core/service/index.ts'
import { EVENT_NAMES, REQUEST_NAMES } from '../../src-shared/names.ts'

export type TrustCheck = (url: string) => boolean

export function registerRequestHandlers(service: Service, trusted: TrustCheck): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(name, async (event: IpcMainInvokeEvent, input: unknown): Promise<Reply> => {
      if (!isTrustedSender(event.senderFrame, trusted)) {
        return { ok: false, error: { code: 'BAD_INPUT', message: `${name}: refused a request from an untrusted frame` } }
      }
      return service.handle(name, input, originOf(event.sender.id))
    })
  }
  return () => {
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(name)
  }
}

/** Sends the window every service event it should hear (service.subscribe decides). */
export function forwardEvents(service: Service, win: BrowserWindow): () => void {
  const contents = win.webContents
  const origin = originOf(contents.id)
  const offs = EVENT_NAMES.map((name: EventName) =>
    service.subscribe(name, origin, (payload) => {
      if (!contents.isDestroyed()) contents.send(name, payload)
    }),
  )
  const off = (): void => offs.forEach((unsubscribe) => unsubscribe())
  win.once('closed', off)
  return off
}

function isTrustedSender(frame: WebFrameMain | null, trusted: TrustCheck): boolean {
  // Only the top frame of our own page; a frame that navigated away or an iframe is not us.
  return frame !== null && frame.parent === null && trusted(frame.url)
}

function originOf(contentsId: number): string {
  return `window-${contentsId}`
}
