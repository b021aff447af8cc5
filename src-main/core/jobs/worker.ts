// Entry of a job's child process (a Node child or an Electron utility process): receives one start
// message, runs the named job module, reports progress, events and the result or error, then exits.
import { toWireError } from '../errors.ts'
import { connectToParent } from './parent-link.ts'
import { runJobModule } from './run-module.ts'

const controller = new AbortController()

const parent = connectToParent((msg) => {
  if (msg.type === 'start') void start(msg.module, msg.input)
  else if (msg.type === 'cancel') controller.abort()
})

async function start(module: string, input: unknown): Promise<void> {
  try {
    const value = await runJobModule(parent, module, input, controller.signal)
    await parent.sendLast({ type: 'result', value })
    process.exit(0)
  } catch (err) {
    await parent.sendLast({ type: 'error', error: toWireError(err) })
    process.exit(1)
  }
}
