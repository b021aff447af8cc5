// Test job: dies the way a native crash would, with words on stderr and no message to the parent. Its
// last words come from a helper process it started, a moment after the job itself has gone.
import { spawn } from 'node:child_process'

export async function run(): Promise<never> {
  process.stderr.write('native trouble in the job\n')
  const lastWords = "setTimeout(() => process.stderr.write('the last words of the job\\n'), 300)"
  spawn(process.execPath, ['-e', lastWords], { stdio: ['ignore', 'ignore', 'inherit'] })
  process.exit(70)
}
