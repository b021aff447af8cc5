// Job module for the extraction crash test: the app's own extract job, preceded by an event with the
// child's pid so the test can SIGKILL exactly that process.
import { run as extract, type ExtractJobInput, type ExtractJobResult } from '../../../../src-main/core/jobs/kinds/extract.ts'
import type { JobContext } from '../../../../src-main/core/jobs/protocol.ts'

export async function run(input: ExtractJobInput, ctx: JobContext<{ pid: number }>): Promise<ExtractJobResult> {
  ctx.emit('pid', process.pid)
  return extract(input, ctx)
}
