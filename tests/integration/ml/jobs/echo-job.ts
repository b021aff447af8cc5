// Test job: reports progress for each item, emits an event, returns the doubled input.
import type { JobContext } from '../../../../src-main/core/jobs/protocol.ts'

export async function run(input: { items: number[] }, ctx: JobContext<{ note: { hello: string } }>): Promise<{ doubled: number[]; pid: number }> {
  input.items.forEach((_, i) => ctx.progress({ phase: 'echo', done: i + 1, total: input.items.length }))
  ctx.emit('note', { hello: 'parent' })
  return { doubled: input.items.map((v) => v * 2), pid: process.pid }
}
