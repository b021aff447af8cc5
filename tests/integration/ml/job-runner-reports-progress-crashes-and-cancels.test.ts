import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runJob, type JobProgress } from '../../../src-main/core/jobs/run-job.ts'

const job = (name: string): string => path.join(import.meta.dirname, 'jobs', `${name}.ts`)

describe('child-process jobs', () => {
  it('runs in another process and streams progress, events and the result', async () => {
    const progress: JobProgress[] = []
    const events: unknown[] = []
    const result = await runJob<{ doubled: number[]; pid: number }>('echo', { items: [1, 2, 3] }, {
      module: job('echo-job'),
      onProgress: (p) => progress.push(p),
      onEvent: (name, data) => events.push({ name, data }),
    })
    expect(result.doubled).toEqual([2, 4, 6])
    expect(result.pid).not.toBe(process.pid)
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3])
    expect(events).toEqual([{ name: 'note', data: { hello: 'parent' } }])
  })

  it('reports a child that exits or is killed as an INTERNAL error, and the parent lives on', async () => {
    await expect(runJob('crash', { how: 'exit' }, { module: job('crash-job') })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/crashed \(exit code 3\)/) })
    await expect(runJob('crash', { how: 'abort' }, { module: job('crash-job') })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/SIGKILL/) })
  })

  it("passes a job's thrown error back as {code, message}", async () => {
    await expect(runJob('crash', { how: 'throw' }, { module: job('crash-job') })).rejects.toMatchObject({ code: 'INTERNAL', message: 'bad thing in the job' })
  })

  it('kills a child that ignores the cancel message after the grace period', async () => {
    const controller = new AbortController()
    let abortedAt = 0
    const running = runJob('stubborn', {}, {
      module: job('stubborn-job'),
      signal: controller.signal,
      killAfterMs: 1000,
      onProgress: () => {
        abortedAt = performance.now()
        controller.abort()
      },
    })
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' })
    const waited = performance.now() - abortedAt
    expect(waited).toBeGreaterThanOrEqual(900)
    expect(waited).toBeLessThan(3000)
  })

  it('refuses an unknown job kind', async () => {
    await expect(runJob('no-such-kind', {})).rejects.toMatchObject({ code: 'INTERNAL' })
    await expect(runJob('../escape', {})).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})
