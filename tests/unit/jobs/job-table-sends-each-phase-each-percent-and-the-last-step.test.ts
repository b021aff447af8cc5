import { describe, expect, it } from 'vitest'
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { JobTable, type TableJob } from '../../../src-main/core/jobs/job-table.ts'

function table(): { jobs: JobTable; progress: JobProgress[]; ended: JobEnded[] } {
  const progress: JobProgress[] = []
  const ended: JobEnded[] = []
  return { jobs: new JobTable({ emit: (p) => progress.push(p) }, { emit: (e) => ended.push(e) }), progress, ended }
}

describe('job table progress', () => {
  it('sends a new phase, each percent and the last step at once, and thins out the rest', async () => {
    const { jobs, progress } = table()
    const { done } = jobs.run('train', async (job: TableJob) => {
      job.report({ phase: 'starting', done: 0, total: 0 })
      // Epochs far apart in percent: every one passes, however fast they come.
      for (let epoch = 1; epoch <= 3; epoch++) job.report({ phase: 'train', done: epoch, total: 3 })
      // A thousand steps in a burst: the first, every tenth (a percent) and the last.
      for (let i = 0; i <= 1000; i++) job.report({ phase: 'predict', done: i, total: 1000 })
    })
    await done
    expect(progress.filter((p) => p.phase !== 'predict').map((p) => [p.phase, p.done, p.total])).toEqual([
      ['starting', 0, 0],
      ['train', 1, 3],
      ['train', 2, 3],
      ['train', 3, 3],
    ])
    const predict = progress.filter((p) => p.phase === 'predict').map((p) => p.done)
    expect(predict).toEqual(Array.from({ length: 101 }, (_, i) => i * 10))
    expect(progress.every((p) => p.kind === 'train' && p.jobId === 'train-1')).toBe(true)
  })

  it('keeps the last progress sent for a running job, and ends it with one event', async () => {
    const { jobs, ended } = table()
    let seen: JobProgress | null = null
    const { jobId, done } = jobs.run('health', async (job) => {
      job.report({ phase: 'near-duplicates', done: 1, total: 4 })
      seen = jobs.progressOf(job.jobId)
    })
    await done
    expect(seen).toMatchObject({ jobId, kind: 'health', phase: 'near-duplicates', done: 1, total: 4 })
    expect(jobs.progressOf(jobId)).toBeNull()
    expect(ended).toEqual([{ jobId, kind: 'health', status: 'done' }])
  })
})
