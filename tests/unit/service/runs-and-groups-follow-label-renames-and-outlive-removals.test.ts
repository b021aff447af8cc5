import { afterEach, describe, expect, it } from 'vitest'
import { addRun, handMadeProject, type HandMade } from '../quality/hand-made-project.ts'
import { newService } from './helpers.ts'

let made: HandMade | null = null
afterEach(() => made?.remove())

const LABELS = ['red', 'blue', 'dress']

async function opened(): Promise<{ service: ReturnType<typeof newService>; runId: number }> {
  made = await handMadeProject(LABELS, [
    { path: 'a.jpg', cells: ['1', '0', '1'] },
    { path: 'b.jpg', cells: ['0', '1', '0'], split: 'val' },
  ])
  const runId = addRun(made, LABELS, { 'a.jpg': [0.9, 0.1, 0.8], 'b.jpg': [0.2, 0.7, 0.3] }, [0.4, 0.5, 0.6])
  const service = newService()
  await service.request('project:open', { file: made.file })
  await service.request('groups:set', { groups: [['red', 'blue']], names: ['colour'] })
  return { service, runId }
}

describe('runs, thresholds and groups follow a label-set edit', () => {
  it('a rename renames the label in the run, its thresholds and groups stay on it; undo renames back', async () => {
    const { service, runId } = await opened()
    await service.request('labels:edit', { op: 'rename', name: 'red', to: 'crimson' })
    const run = await service.request('train:run', { id: runId })
    expect(run.labels).toEqual(['crimson', 'blue', 'dress'])
    expect(run.thresholds).toEqual([0.4, 0.5, 0.6])
    const predictions = await service.request('predict:get', { runId })
    expect(predictions).toMatchObject({ labels: ['crimson', 'blue', 'dress'], thresholds: [0.4, 0.5, 0.6], groups: [['crimson', 'blue']] })
    expect((await service.request('project:current', {}))?.groups).toEqual([['crimson', 'blue']])

    // Thresholds set after the rename are set by the run's own order, the renamed label's included.
    await service.request('thresholds:set', { runId, thresholds: [0.3, 0.5, 0.6] })
    await service.request('labels:undo', {})
    expect((await service.request('train:run', { id: runId })).labels).toEqual(['red', 'blue', 'dress'])
    expect((await service.request('train:run', { id: runId })).thresholds).toEqual([0.3, 0.5, 0.6])
    expect((await service.request('project:current', {}))?.groups).toEqual([['red', 'blue']])
    await service.request('labels:redo', {})
    expect((await service.request('predict:get', { runId })).groups).toEqual([['crimson', 'blue']])
  })

  it('a run trained before a removal stays readable and says which labels it knew; the group loses the label', async () => {
    const { service, runId } = await opened()
    await service.request('labels:edit', { op: 'remove', name: 'blue' })
    await service.request('labels:edit', { op: 'add', name: 'hat' })
    const run = await service.request('train:run', { id: runId })
    expect(run.labels).toEqual(['red', 'blue', 'dress'])
    const info = await service.request('project:current', {})
    expect(info?.labels).toEqual(['red', 'dress', 'hat'])
    // A group of one label is no group: it goes, with its name.
    expect(info?.groups).toEqual([])
    expect((await service.request('predict:get', { runId })).labels).toEqual(['red', 'blue', 'dress'])
    await service.request('labels:undo', {})
    await service.request('labels:undo', {})
    const back = await service.request('project:current', {})
    expect(back).toMatchObject({ labels: LABELS, groups: [['red', 'blue']], groupNames: ['colour'] })
  })
})
