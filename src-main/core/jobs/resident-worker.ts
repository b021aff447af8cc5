// Entry of a resident child process. Unlike worker.ts it does not exit after a job: it runs one start
// message after another with the same module, whose state (a loaded model) lives on between them. The
// parent sends the next start only once the last one has answered, so a cancel is always the current one's.
import { toWireError } from '../errors.ts'
import { connectToParent } from './parent-link.ts'
import { runJobModule } from './run-module.ts'

let current: AbortController | null = null
let queue: Promise<void> = Promise.resolve()

const parent = connectToParent((msg) => {
  if (msg.type === 'start') queue = queue.then(() => runOne(msg.module, msg.input))
  else if (msg.type === 'cancel') current?.abort()
})

async function runOne(module: string, input: unknown): Promise<void> {
  const controller = new AbortController()
  current = controller
  try {
    const value = await runJobModule(parent, module, input, controller.signal)
    await parent.send({ type: 'result', value })
  } catch (err) {
    await parent.send({ type: 'error', error: toWireError(err) })
  } finally {
    current = null
  }
}
