// How a job's child talks to its parent: over process.parentPort in an Electron utility process, over
// process.send in a Node child made by child_process.fork.
import type { ChildMessage, ParentMessage } from './protocol.ts'

export interface ParentLink {
  send(msg: ChildMessage): Promise<void>
  /** send the job's last message; resolves once the child can exit without losing it */
  sendLast(msg: ChildMessage): Promise<void>
}

/** Electron's process.parentPort, as far as we use it. */
interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  postMessage(value: unknown): void
}

/** how long a utility process waits for the parent's ack before it exits anyway */
const ACK_WAIT_MS = 10_000

export function connectToParent(onMessage: (msg: ParentMessage) => void): ParentLink {
  // Electron's types declare parentPort on every process; outside a utility process it is missing.
  const port = Reflect.get(process, 'parentPort') as ParentPort | null | undefined
  return port ? portLink(port, onMessage) : ipcLink(onMessage)
}

function portLink(port: ParentPort, onMessage: (msg: ParentMessage) => void): ParentLink {
  // Packaged apps have seen utility processes end once their event loop is empty, listener or not: hold
  // this one open until the worker exits by itself.
  setInterval(() => {}, 60_000)
  let acked = (): void => {}
  const ack = new Promise<void>((resolve) => (acked = resolve))
  port.on('message', ({ data }) => {
    const msg = data as ParentMessage
    if (msg.type === 'ack') acked()
    else onMessage(msg)
  })
  return {
    send: async (msg) => port.postMessage(msg),
    // postMessage has no delivery callback, and Electron drops what is still on the way when the child
    // exits: wait until the parent says it has the message.
    sendLast: async (msg) => {
      port.postMessage(msg)
      let timer: NodeJS.Timeout | undefined
      await Promise.race([ack, new Promise<void>((resolve) => (timer = setTimeout(resolve, ACK_WAIT_MS)))])
      clearTimeout(timer)
    },
  }
}

function ipcLink(onMessage: (msg: ParentMessage) => void): ParentLink {
  process.on('message', (msg: ParentMessage) => {
    if (msg.type !== 'ack') onMessage(msg)
  })
  // The parent went away: nothing is listening, stop.
  process.on('disconnect', () => process.exit(0))
  const send = (msg: ChildMessage): Promise<void> =>
    new Promise((resolve) => {
      if (!process.send) return resolve()
      process.send(msg, undefined, {}, () => resolve())
    })
  // The callback fires once the message is in the channel, and the parent's 'close' waits for the channel.
  return { send, sendLast: send }
}
