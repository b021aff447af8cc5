// Test job: ignores cancel messages (a blocked event loop, as in a long native call).
import type { JobContext } from '../../../../src-main/core/jobs/protocol.ts'

export async function run(_input: unknown, ctx: JobContext): Promise<never> {
  ctx.progress({ phase: 'busy', done: 0, total: 1 })
  for (;;) {
    // spin without yielding: only SIGKILL ends this
  }
}
