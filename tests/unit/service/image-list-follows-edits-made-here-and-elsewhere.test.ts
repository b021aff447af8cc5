import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { apparelProject, newService } from './helpers.ts'

describe('images:list', () => {
  it('is read once and kept, yet follows edits through the service and commits by another connection', async () => {
    const file = await apparelProject(5)
    const service = newService()
    const info = await service.request('project:open', { file })
    const red = info.labels.indexOf('red')
    const first = await service.request('images:list', {})
    // Nothing changed: the same rows, not a second pass over the project.
    expect(await service.request('images:list', {})).toBe(first)
    const flip = (id: number): 0 | 1 => (first.find((r) => r.id === id)?.labels[red] === 1 ? 0 : 1)

    await service.request('labels:set', { changes: [{ imageId: 1, label: 'red', value: flip(1) }] })
    expect((await service.request('images:list', {})).find((r) => r.id === 1)?.labels[red]).toBe(flip(1))
    await service.request('labels:undo', {})
    expect((await service.request('images:list', {})).find((r) => r.id === 1)?.labels[red]).toBe(1 - flip(1))
    await service.request('split:set', { imageIds: [2], split: 'test' })
    expect((await service.request('images:list', {})).find((r) => r.id === 2)?.split).toBe('test')

    // The command line (another connection to the same file) edits while the app is open.
    const other = Project.open(file)
    other.edits.setLabels([{ imageId: 3, label: 'red', value: flip(3) }])
    other.close()
    expect((await service.request('images:list', {})).find((r) => r.id === 3)?.labels[red]).toBe(flip(3))
    service.close()
  })
})
