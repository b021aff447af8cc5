// Entry of a resident child process. Unlike worker.ts it does not exit after a job: it runs one start
// message after another with the same module, whose state (a loaded model) lives on between them. The
// parent sends the next start only once the last one has answered, so a cancel is always the current one's.
import { pathToFileURL } from 'node:url'
import { toWireError } from '../errors.ts'
import { connectToParent } from './parent-link.ts'
import type { JobContext, JobHandler } from './protocol.ts'

let current: AbortController | null = null
let queue: Promise<void> = Promise.resolve()

const parent = connectToParent((msg) => {
  if (msg.type === 'start') queue = queue.then(() => runOne(msg.module, msg.input))
  else if (msg.type === 'cancel') current?.abort()
})

async function runOne(module: string, input: unknown): Promise<void> {
  const controller = new AbortController()
  current = controller
  const ctx: JobContext = {
    signal: controller.signal,
    progress: (progress) => void parent.send({ type: 'progress', progress }),
    emit: (name, data) => void parent.send({ type: 'event', name, data }),
  }
  try {
    const mod = (await import(pathToFileURL(module).href)) as { run?: JobHandler<unknown, unknown> }
    if (typeof mod.run !== 'function') throw new Error(`job module ${module} exports no run()`)
    const value = await mod.run(input, ctx)
    await parent.send({ type: 'result', value })
  } catch (err) {
    await parent.send({ type: 'error', error: toWireError(err) })
  } finally {
    current = null
  }
}
