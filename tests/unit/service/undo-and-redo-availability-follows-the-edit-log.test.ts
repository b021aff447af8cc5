import { describe, expect, it } from 'vitest'
import type { ImageRow } from '../../../src-preload/contract.ts'
import { FakeClient } from './fake-transport.ts'
import { apparelProject, newService } from './helpers.ts'

describe('undo and redo availability', () => {
  it('comes with every edit, undo and redo, and from labels:history after a restart', async () => {
    const file = await apparelProject(4)
    const client = new FakeClient(newService(), 'ui')
    const info = await client.invoke('project:open', { file })
    expect(await client.invoke('labels:history', {})).toEqual({ canUndo: false, canRedo: false })
    const [first, second] = await client.invoke('images:list', {})
    const flip = (row: ImageRow | undefined, label: string): 0 | 1 => (row?.labels[info.labels.indexOf(label)] === 1 ? 0 : 1)

    const set = await client.invoke('labels:set', { changes: [{ imageId: 1, label: 'shoes', value: flip(first, 'shoes') }] })
    expect(set).toMatchObject({ canUndo: true, canRedo: false })
    expect(await client.invoke('labels:undo', {})).toMatchObject({ canUndo: false, canRedo: true })
    expect(await client.invoke('labels:history', {})).toEqual({ canUndo: false, canRedo: true })
    expect(await client.invoke('labels:redo', {})).toMatchObject({ canUndo: true, canRedo: false })
    await client.invoke('labels:undo', {})
    // A new edit ends the redo branch.
    const other = await client.invoke('labels:set', { changes: [{ imageId: 2, label: 'red', value: flip(second, 'red') }] })
    expect(other).toMatchObject({ canUndo: true, canRedo: false })

    const restarted = new FakeClient(newService(), 'ui')
    await restarted.invoke('project:open', { file })
    expect(await restarted.invoke('labels:history', {})).toEqual({ canUndo: true, canRedo: false })
  })

  it('a split change reaches the other windows as changed rows', async () => {
    const file = await apparelProject(3)
    const service = newService()
    const mover = new FakeClient(service, 'mover')
    const watcher = new FakeClient(service, 'watcher')
    await mover.invoke('project:open', { file })
    const seen: ImageRow[][] = []
    watcher.on('labels:changed', ({ rows }) => seen.push(rows))
    const own: ImageRow[][] = []
    mover.on('labels:changed', ({ rows }) => own.push(rows))
    const rows = await mover.invoke('split:set', { imageIds: [2, 3], split: 'test' })
    expect(rows.map((r) => [r.id, r.split])).toEqual([[2, 'test'], [3, 'test']])
    expect(seen).toEqual([rows])
    expect(own).toEqual([])
    expect(await mover.invoke('labels:history', {})).toEqual({ canUndo: false, canRedo: false })
  })
})
