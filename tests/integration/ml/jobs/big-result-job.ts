// Test job: a result too big to leave the process in one write, returned as the process exits, and
// what the process it runs in offers for talking to its parent.
export async function run(input: { megabytes: number }): Promise<{ values: Float64Array; parentPort: boolean; send: boolean }> {
  const values = new Float64Array((input.megabytes * 1024 * 1024) / 8).map((_, i) => i)
  const parentPort = Reflect.get(process, 'parentPort') !== undefined
  return { values, parentPort, send: typeof process.send === 'function' }
}
