import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { fixtureJpegs, imageFolder } from '../dataset/folder-helpers.ts'
import { FakeClient } from './fake-transport.ts'
import { newService } from './helpers.ts'

describe('project:folderPreview and project:importFolder', () => {
  it('previews the labels, then imports as a job with count, rate and time left, and opens the project', async () => {
    const dir = imageFolder(['black_dress/a.jpg', 'black_dress/b.jpg', 'red_shirt/c.jpg', 'red_dress/d.jpg', 'notes.txt'])
    const client = new FakeClient(newService(), 'ui')
    const progress: JobProgress[] = []
    const ended: JobEnded[] = []
    client.on('job:progress', (p) => progress.push(p))
    client.on('job:ended', (e) => ended.push(e))
    const options = { dir, labelsFromFolders: true, separator: '_' }
    const preview = await client.invoke('project:folderPreview', options)
    expect(preview).toEqual({
      dir,
      images: 4,
      labels: [
        { name: 'black', count: 2 },
        { name: 'dress', count: 3 },
        { name: 'red', count: 2 },
        { name: 'shirt', count: 1 },
      ],
      unlabelled: 0,
      splits: { train: 3, val: 1, test: 0 },
      skipped: [{ path: 'notes.txt', reason: 'not an image file (by its name)' }],
      skippedCount: 1,
    })
    expect(progress).toEqual([]) // a preview is quick: no job

    const { info, report } = await client.invoke('project:importFolder', options)
    expect(info).toMatchObject({ file: join(dir, 'dataset.tagsmith'), imagesDir: dir, labels: ['black', 'dress', 'red', 'shirt'], imageCount: 4 })
    expect(report).toMatchObject({ rows: 4, splits: { train: 3, val: 1, test: 0 }, skippedCount: 1 })
    expect(new Set(progress.map((p) => p.phase))).toEqual(new Set(['finding images', 'hashing images']))
    expect(progress.find((p) => p.phase === 'hashing images' && p.done === 4)).toMatchObject({ kind: 'import', total: 4, rate: expect.any(Number) })
    expect(ended).toMatchObject([{ kind: 'import', status: 'done' }])
    expect(await client.invoke('project:current', {})).toEqual(info)
    // Rows come by split file (train.csv, then val.csv), each in path order.
    const rows = await client.invoke('images:list', {})
    expect(rows.map((r) => r.path).sort()).toEqual(['black_dress/a.jpg', 'black_dress/b.jpg', 'red_dress/d.jpg', 'red_shirt/c.jpg'])
  })

  it('stops on job:cancel, answers CANCELLED and writes nothing', async () => {
    const dir = imageFolder(fixtureJpegs(80).map((_, i) => `f${i % 4}/${i}.jpg`))
    const client = new FakeClient(newService(), 'ui')
    let cancelled: Promise<null> | undefined
    client.on('job:progress', (p) => {
      cancelled ??= client.invoke('job:cancel', { jobId: p.jobId })
    })
    await expect(client.invoke('project:importFolder', { dir, labelsFromFolders: true })).rejects.toEqual({
      code: 'CANCELLED',
      message: expect.stringContaining('cancelled'),
    })
    await expect(cancelled).resolves.toBeNull()
    expect(await client.invoke('project:current', {})).toBeNull()
    expect(existsSync(join(dir, 'dataset.tagsmith'))).toBe(false)
  })

  it('answers a folder that is not there with BAD_INPUT naming it', async () => {
    const client = new FakeClient(newService(), 'ui')
    const dir = join(imageFolder(['a.jpg']), 'missing')
    await expect(client.invoke('project:folderPreview', { dir, labels: ['cat'] })).rejects.toEqual({ code: 'BAD_INPUT', message: `folder not found: ${dir}` })
    await expect(client.invoke('project:importFolder', { dir, labels: ['cat'] })).rejects.toEqual({ code: 'BAD_INPUT', message: `folder not found: ${dir}` })
  })
})
