import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobKind } from '../../../src-main/core/jobs/registry.ts'
import { expectStubbornJobKilledAfterGrace } from './stubborn-job-check.ts'
import { runJob, runJobModule, type JobCounts } from '../../../src-main/core/jobs/run-job.ts'

const job = (name: string): string => path.join(import.meta.dirname, 'jobs', `${name}.ts`)

describe('child-process jobs', () => {
  it('runs in another process and streams progress, events and the result', async () => {
    const progress: JobCounts[] = []
    const events: unknown[] = []
    const result = await runJobModule<{ doubled: number[]; pid: number }>('echo', job('echo-job'), { items: [1, 2, 3] }, {
      onProgress: (p) => progress.push(p),
      onEvent: (event) => events.push(event),
    })
    expect(result.doubled).toEqual([2, 4, 6])
    expect(result.pid).not.toBe(process.pid)
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3])
    expect(events).toEqual([{ name: 'note', data: { hello: 'parent' } }])
  })

  it('reports a child that exits or is killed as an INTERNAL error, and the parent lives on', async () => {
    await expect(runJobModule('crash', job('crash-job'), { how: 'exit' })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/crashed \(exit code 3\)/) })
    await expect(runJobModule('crash', job('crash-job'), { how: 'abort' })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/SIGKILL/) })
  })

  it("passes a job's thrown error back as {code, message}", async () => {
    await expect(runJobModule('crash', job('crash-job'), { how: 'throw' })).rejects.toMatchObject({ code: 'INTERNAL', message: 'bad thing in the job' })
  })

  it('kills a child that ignores the cancel message after the grace period', async () => {
    await expectStubbornJobKilledAfterGrace(job('stubborn-job'))
  })

  it('refuses an unknown job kind', async () => {
    // Kinds are typed, so only a name from outside the type checker's sight gets here.
    await expect(runJob('no-such-kind' as JobKind, {} as never)).rejects.toMatchObject({ code: 'INTERNAL' })
    await expect(runJob('../escape' as JobKind, {} as never)).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})
