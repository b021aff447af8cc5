// Entry of a job's child process: receives one start message, runs the named job module, reports
// progress, events and the result or error, then exits.
import { pathToFileURL } from 'node:url'
import { toWireError } from '../errors.ts'
import type { ChildMessage, JobContext, JobHandler, ParentMessage } from './protocol.ts'

const controller = new AbortController()

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send) return resolve()
    process.send(msg, undefined, {}, () => resolve())
  })
}

async function start(module: string, input: unknown): Promise<void> {
  const ctx: JobContext = {
    signal: controller.signal,
    progress: (progress) => void send({ type: 'progress', progress }),
    emit: (name, data) => void send({ type: 'event', name, data }),
  }
  try {
    const mod = (await import(pathToFileURL(module).href)) as { run?: JobHandler<unknown, unknown> }
    if (typeof mod.run !== 'function') throw new Error(`job module ${module} exports no run()`)
    const value = await mod.run(input, ctx)
    await send({ type: 'result', value })
    process.exit(0)
  } catch (err) {
    await send({ type: 'error', error: toWireError(err) })
    process.exit(1)
  }
}

process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'start') void start(msg.module, msg.input)
  else if (msg.type === 'cancel') controller.abort()
})
// The parent went away: nothing is listening, stop.
process.on('disconnect', () => process.exit(0))
