// Test job: reports that it started, then waits for the cancel message and stops as a job should.
import type { JobContext } from '../../../../src-main/core/jobs/protocol.ts'

export async function run(_input: unknown, ctx: JobContext): Promise<never> {
  ctx.progress({ phase: 'waiting', done: 0, total: 1 })
  await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }))
  throw new Error('stopped on cancel')
}
