import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { FakeClient } from './fake-transport.ts'
import { apparelSubset, newService } from './helpers.ts'

describe('project:import runs as a job with progress and cancel', () => {
  it('imports, reports progress to the client and opens the new project', async () => {
    const { dir, csv } = apparelSubset(30)
    const service = newService()
    const client = new FakeClient(service, 'ui')
    const progress: JobProgress[] = []
    const ended: JobEnded[] = []
    client.on('job:progress', (p) => progress.push(p))
    client.on('job:ended', (e) => ended.push(e))
    const projectFile = join(dir, 'new.tagsmith')
    const { info, report } = await client.invoke('project:import', { csvs: [csv], projectFile })
    expect(report).toMatchObject({ rows: 30, missing: 0, corrupt: 0, outside: 0 })
    expect(info).toMatchObject({ file: projectFile, imageCount: 30 })
    expect(await client.invoke('project:current', {})).toEqual(info)
    expect(progress.at(-1)).toMatchObject({ kind: 'import', done: 30, total: 30 })
    expect(ended).toEqual([{ jobId: progress[0]?.jobId, kind: 'import', status: 'done' }])
    expect(await client.invoke('project:recent', {})).toEqual([{ file: projectFile, openedAt: expect.any(String) }])
  })

  it('stops an import on job:cancel, answers CANCELLED and keeps the previous state', async () => {
    const { dir, csv } = apparelSubset(200)
    const client = new FakeClient(newService(), 'ui')
    const ended: JobEnded[] = []
    client.on('job:ended', (e) => ended.push(e))
    let cancelled: Promise<null> | undefined
    // Cancel as soon as the first progress event names the job.
    client.on('job:progress', (p) => {
      cancelled ??= client.invoke('job:cancel', { jobId: p.jobId })
    })
    const projectFile = join(dir, 'cancelled.tagsmith')
    await expect(client.invoke('project:import', { csvs: [csv], projectFile })).rejects.toEqual({
      code: 'CANCELLED',
      message: expect.stringContaining('cancelled'),
    })
    await expect(cancelled).resolves.toBeNull()
    expect(ended).toMatchObject([{ kind: 'import', status: 'cancelled', error: { code: 'CANCELLED' } }])
    expect(await client.invoke('project:current', {})).toBeNull()
    expect(existsSync(projectFile)).toBe(false)
  })

  it('refuses a CSV that does not exist before starting a job', async () => {
    const client = new FakeClient(newService(), 'ui')
    const ended: JobEnded[] = []
    client.on('job:ended', (e) => ended.push(e))
    await expect(client.invoke('project:import', { csvs: [join(apparelSubset(1).dir, 'nope.csv')] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('nope.csv'),
    })
    expect(ended).toEqual([])
  })
})
