// Test job: dies the way a native crash would, without a word to the parent.
export async function run(input: { how: 'exit' | 'abort' | 'throw' }): Promise<never> {
  if (input.how === 'exit') process.exit(3)
  if (input.how === 'abort') process.kill(process.pid, 'SIGKILL')
  throw Object.assign(new Error('bad thing in the job'), { code: 'X' })
}
