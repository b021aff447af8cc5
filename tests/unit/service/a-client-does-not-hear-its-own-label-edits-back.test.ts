import { describe, expect, it } from 'vitest'
import type { JobProgress, LabelChange } from '../../../src-preload/contract.ts'
import { apparelProject, newService } from './helpers.ts'

describe('a client subscribed through the service does not hear its own label edits back', () => {
  it('sends labels:changed to every client but the one whose request made the change', async () => {
    const service = newService()
    const heard: Record<'a' | 'b', string[]> = { a: [], b: [] }
    const offs = (['a', 'b'] as const).map((client) =>
      service.subscribe('labels:changed', client, ({ rows }) => heard[client].push(rows.map((row) => row.id).join(','))),
    )
    const info = await service.request('project:open', { file: await apparelProject(3) })
    const rows = await service.request('images:list', {})
    const red = info.labels.indexOf('red')
    const flip = (imageId: number): LabelChange => ({ imageId, label: 'red', value: rows.find((r) => r.id === imageId)?.labels[red] === 1 ? 0 : 1 })

    await service.request('labels:set', { changes: [flip(1)] }, 'a')
    await service.request('split:set', { imageIds: [2], split: 'val' }, 'b')
    await service.request('labels:undo', {}, 'b')
    await service.request('labels:set', { changes: [flip(3)] }) // no client: a menu, say
    expect(heard).toEqual({ a: ['2', '1', '3'], b: ['1', '3'] })

    for (const off of offs) off()
    expect(service.events['labels:changed'].listenerCount).toBe(0)
  })

  it('sends a client every other event, its own included', () => {
    const service = newService()
    const heard: string[] = []
    const off = service.subscribe('job:progress', 'a', (progress) => heard.push(progress.jobId))
    const progress: JobProgress = { jobId: 'import-1', kind: 'import', phase: 'hashing images', done: 1, total: 2, rate: 1, etaSeconds: 1 }
    service.events['job:progress'].emit(progress, 'a')
    service.events['job:progress'].emit({ ...progress, jobId: 'import-2' }, 'b')
    expect(heard).toEqual(['import-1', 'import-2'])
    off()
    expect(service.events['job:progress'].listenerCount).toBe(0)
  })
})
