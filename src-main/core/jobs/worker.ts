// Entry of a job's child process (a Node child or an Electron utility process): receives one start
// message, runs the named job module, reports progress, events and the result or error, then exits.
import { pathToFileURL } from 'node:url'
import { toWireError } from '../errors.ts'
import { connectToParent } from './parent-link.ts'
import type { JobContext, JobHandler } from './protocol.ts'

const controller = new AbortController()

const parent = connectToParent((msg) => {
  if (msg.type === 'start') void start(msg.module, msg.input)
  else if (msg.type === 'cancel') controller.abort()
})

async function start(module: string, input: unknown): Promise<void> {
  const ctx: JobContext = {
    signal: controller.signal,
    progress: (progress) => void parent.send({ type: 'progress', progress }),
    emit: (name, data) => void parent.send({ type: 'event', name, data }),
  }
  try {
    const mod = (await import(pathToFileURL(module).href)) as { run?: JobHandler<unknown, unknown> }
    if (typeof mod.run !== 'function') throw new Error(`job module ${module} exports no run()`)
    const value = await mod.run(input, ctx)
    await parent.sendLast({ type: 'result', value })
    process.exit(0)
  } catch (err) {
    await parent.sendLast({ type: 'error', error: toWireError(err) })
    process.exit(1)
  }
}
