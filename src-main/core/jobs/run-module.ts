// What both job entries (worker.ts, resident-worker.ts) do with a start message: load the named job module
// and run it with a context that forwards progress and events to the parent.
import { pathToFileURL } from 'node:url'
import type { ParentLink } from './parent-link.ts'
import type { JobContext, JobHandler } from './protocol.ts'

export async function runJobModule(parent: ParentLink, module: string, input: unknown, signal: AbortSignal): Promise<unknown> {
  const ctx: JobContext = {
    signal,
    progress: (progress) => void parent.send({ type: 'progress', progress }),
    emit: (name, data) => void parent.send({ type: 'event', name, data }),
  }
  const mod = (await import(pathToFileURL(module).href)) as { run?: JobHandler<unknown, unknown> }
  if (typeof mod.run !== 'function') throw new Error(`job module ${module} exports no run()`)
  return mod.run(input, ctx)
}
