import { describe, expect, it } from 'vitest'
import type { ImageRow } from '../../../src-preload/contract.ts'
import { FakeClient } from './fake-transport.ts'
import { apparelProject, newService } from './helpers.ts'

function labelsOf(rows: ImageRow[], id: number): ImageRow['labels'] | undefined {
  return rows.find((row) => row.id === id)?.labels
}

describe('label edits round-trip through the service, with undo and redo', () => {
  it('sets, undoes and redoes a bulk edit as one step, on disk', async () => {
    const file = await apparelProject(12)
    const client = new FakeClient(newService(), 'ui')
    const info = await client.invoke('project:open', { file })
    expect(info).toMatchObject({ file, imageCount: 12, sources: ['train.csv'], groups: [] })
    const rows = await client.invoke('images:list', {})
    expect(rows).toHaveLength(12)
    const shoes = info.labels.indexOf('shoes')
    const before = rows.slice(0, 3).map((row) => row.labels[shoes])
    const target = before.map((value) => (value === 1 ? 0 : 1))

    const set = await client.invoke('labels:set', {
      changes: rows.slice(0, 3).map((row, i) => ({ imageId: row.id, label: 'shoes', value: target[i] ?? 1 })),
    })
    expect(set.changes).toHaveLength(3)
    expect(set.rows.map((row) => row.labels[shoes])).toEqual(target)
    expect(set.rows.every((row) => row.edited)).toBe(true)
    expect(await client.invoke('dataset:changes', {})).toMatchObject({ cells: 3, images: 3 })

    const undone = await client.invoke('labels:undo', {})
    expect(undone?.group).toBe(set.group)
    expect(undone?.rows.map((row) => row.labels[shoes])).toEqual(before)
    expect((await client.invoke('images:list', {})).slice(0, 3).map((row) => row.labels[shoes])).toEqual(before)
    expect(await client.invoke('dataset:changes', {})).toMatchObject({ cells: 0, images: 0 })

    const redone = await client.invoke('labels:redo', {})
    expect(redone?.rows.map((row) => row.labels[shoes])).toEqual(target)
    expect(await client.invoke('labels:redo', {})).toBeNull()
  })

  it('keeps edits and the undo history across a restart of the service', async () => {
    const file = await apparelProject(6)
    const first = new FakeClient(newService(), 'ui')
    await first.invoke('project:open', { file })
    const edit = await first.invoke('labels:set', { changes: [{ imageId: 2, label: 'white', value: 1 }] })
    const after = labelsOf(edit.rows, 2)
    await first.invoke('project:close', {})
    expect(await first.invoke('project:current', {})).toBeNull()

    const second = new FakeClient(newService(), 'ui')
    const info = await second.invoke('project:open', { file })
    expect(labelsOf(await second.invoke('images:list', {}), 2)).toEqual(after)
    const undone = await second.invoke('labels:undo', {})
    expect(undone?.changes).toEqual([{ imageId: 2, label: 'white', old: edit.changes[0]?.old, new: 1 }])
    expect(labelsOf(await second.invoke('images:list', {}), 2)?.[info.labels.indexOf('white')]).toBe(edit.changes[0]?.old)
  })

  it('stores label groups and split changes with the project', async () => {
    const file = await apparelProject(4)
    const client = new FakeClient(newService(), 'ui')
    await client.invoke('project:open', { file })
    const groups = [['black', 'blue', 'brown', 'green', 'red', 'white'], ['dress', 'shirt', 'pants', 'shorts', 'shoes']]
    expect((await client.invoke('groups:set', { groups })).groups).toEqual(groups)
    expect((await client.invoke('split:set', { imageIds: [1, 2], split: 'val' })).map((r) => r.split)).toEqual(['val', 'val'])
    const reopened = new FakeClient(newService(), 'ui')
    expect((await reopened.invoke('project:open', { file })).groups).toEqual(groups)
    expect((await reopened.invoke('images:list', {})).filter((r) => r.split === 'val').map((r) => r.id)).toEqual([1, 2])
  })
})
