import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeDistinctImages } from '../dataset/add-helpers.ts'
import { apparelProject, newService } from './helpers.ts'

describe('images:add and images:rescan through the service', () => {
  it('adds as one job and one step: the answer carries the step, other clients hear it, undo and redo follow', async () => {
    const service = newService()
    const file = await apparelProject(3)
    const dir = dirname(file)
    writeDistinctImages(dir, ['new/black_shirt/a.jpg', 'new/black_shirt/b.jpg'], 40)
    await service.request('project:open', { file })
    const heard: Array<string | undefined> = []
    const offChanged = service.subscribe('labels:changed', 'b', ({ structure }) => heard.push(structure))
    const jobs: string[] = []
    const offEnded = service.subscribe('job:ended', 'a', ({ kind, status }) => jobs.push(`${kind} ${status}`))

    const answer = await service.request('images:add', { paths: [join(dir, 'new')], labelsFromFolders: '_', cells: { shirt: null } }, 'a')
    expect(answer.added.map((a) => a.rel)).toEqual(['new/black_shirt/a.jpg', 'new/black_shirt/b.jpg'])
    expect(answer.result).toMatchObject({ structure: 'images-add', canUndo: true, canRedo: false })
    expect(answer.result?.rows.map((r) => [r.path, r.labels])).toEqual([
      ['./new/black_shirt/a.jpg', [1, 0, 0, 0, 0, 0, 0, null, 0, 0, 0]],
      ['./new/black_shirt/b.jpg', [1, 0, 0, 0, 0, 0, 0, null, 0, 0, 0]],
    ])
    expect(await service.request('images:list', {})).toHaveLength(5)
    expect((await service.request('project:current', {}))?.imageCount).toBe(5)
    expect(jobs).toEqual(['add-images done'])
    expect(heard).toEqual(['images-add'])

    expect((await service.request('labels:undo', {}, 'a'))?.structure).toBe('images-add')
    expect(await service.request('images:list', {})).toHaveLength(3)
    expect((await service.request('project:current', {}))?.imageCount).toBe(3)
    expect((await service.request('labels:redo', {}, 'a'))?.structure).toBe('images-add')
    expect((await service.request('images:list', {})).map((r) => r.id)).toEqual([1, 2, 3, 4, 5])

    const again = await service.request('images:add', { paths: [join(dir, 'new/black_shirt/a.jpg')] }, 'a')
    expect(again).toEqual({ added: [], duplicates: [{ name: 'new/black_shirt/a.jpg', existing: './new/black_shirt/a.jpg' }], skipped: [], refused: [], result: null })
    offChanged()
    offEnded()
  })

  it('rescan lists the files no row names, and a refused request stores nothing', async () => {
    const service = newService()
    const file = await apparelProject(3)
    const dir = dirname(file)
    writeDistinctImages(dir, ['new/x.jpg'], 40)
    await service.request('project:open', { file })
    expect(await service.request('images:rescan', {})).toEqual({ missing: 0, back: 0, new: [join(dir, 'new/x.jpg')] })
    await expect(service.request('images:add', { paths: [join(dir, 'new/x.jpg')], split: 'test' })).rejects.toThrow(
      'this project has no CSV for the split test (its CSVs: train.csv)',
    )
    expect(await service.request('images:list', {})).toHaveLength(3)
    expect(await service.request('labels:history', {})).toEqual({ canUndo: false, canRedo: false })
  })
})
