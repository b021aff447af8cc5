// The desktop app's main process without the Electron binary: loads the built out/main bundle in Node with
// the stand-in 'electron' module (see ../stand-in/register.mjs) and relays to the parent what a renderer
// would send and receive: IPC invokes from a frame, requests to registered protocols, window events.
// Usage: node --import tsx --import ../stand-in/register.mjs main-host.ts <out/main/index.js> [app args...]
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow } from '../stand-in/electron.ts'
import { recorded } from '../stand-in/recorded.ts'
import type { HostReply, HostRequest } from './host-protocol.ts'
import { snapshot } from './snapshot.ts'

const [mainBundle, ...appArgs] = process.argv.slice(2)
if (!mainBundle) throw new Error('usage: main-host.ts <out/main/index.js> [app args...]')
// What the main script sees in Electron when started as `electron <app> [args...]`.
process.argv = [process.execPath, process.env.TAGSMITH_STANDIN_APP_PATH ?? process.cwd(), ...appArgs]

function reply(message: HostReply): void {
  try {
    process.send?.(message)
  } catch (err) {
    // A value the structured-clone algorithm refuses cannot cross Electron's IPC either.
    process.send?.({
      type: 'reply',
      id: message.id,
      ok: false,
      error: err instanceof Error ? err.message : String(err),
    })
  }
}

async function invoke(
  channel: string,
  args: unknown[],
  frame: { url: string; isTop: boolean },
): Promise<unknown> {
  const handler = recorded.ipcHandlers.get(channel)
  if (!handler) throw new Error(`No handler registered for '${channel}'`)
  const sender = BrowserWindow.getAllWindows()[0]?.webContents
  if (!sender) throw new Error('no window is open')
  const senderFrame = {
    url: frame.url,
    parent: frame.isTop ? null : { url: 'about:blank' },
    processId: 1,
    routingId: 1,
  }
  return handler({ sender, senderFrame, frameId: 1, processId: 1 }, ...structuredClone(args))
}

async function fetchFromProtocol(
  url: string,
  method: string,
): Promise<{ status: number; headers: Record<string, string>; body: Uint8Array } | null> {
  const scheme = new URL(url).protocol.slice(0, -1)
  const handler = recorded.protocolHandlers.get(scheme)
  if (!handler) return null
  const response = await handler(new Request(url, { method }))
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body: new Uint8Array(await response.arrayBuffer()),
  }
}

async function answer(message: HostRequest): Promise<unknown> {
  switch (message.type) {
    case 'invoke':
      return invoke(message.channel, message.args, message.frame)
    case 'fetch':
      return fetchFromProtocol(message.url, message.method)
    case 'inspect':
      return snapshot()
    case 'painted':
      for (const win of BrowserWindow.getAllWindows()) win.painted()
      return null
    case 'dialog-answer':
      recorded.dialogAnswers.push(message.paths)
      return null
    case 'second-instance':
      app.emit('second-instance', {}, message.argv, process.cwd(), {})
      return null
    case 'quit':
      for (const win of BrowserWindow.getAllWindows()) win.close()
      if (!recorded.quitting) app.quit()
      return null
  }
}

process.on('message', (message: HostRequest) => {
  answer(message).then(
    (value) => reply({ type: 'reply', id: message.id, ok: true, value }),
    (err: unknown) =>
      reply({
        type: 'reply',
        id: message.id,
        ok: false,
        error: err instanceof Error ? err.message : String(err),
      }),
  )
})
// The parent went away: so does the app.
process.on('disconnect', () => app.quit())

await import(pathToFileURL(mainBundle).href)
// Electron emits 'ready' after the main script's first turn.
setImmediate(() => app.becomeReady())
