import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** Lets pending promise callbacks (the history request started by a watcher) run. */
const settle = (): Promise<void> => new Promise((done) => setTimeout(done, 0))

describe('moving images to another split', () => {
  it('is one split:set call for the images not already there, shown at once and saved after the answer', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const labels = useLabelsStore()
    const images = useImagesStore()
    const filters = useFiltersStore()
    filters.toggleSplit('val')
    expect(filters.ids).toEqual([2, 6])

    fake.holdEdits = true
    const moved = labels.setSplit([1, 2, 3], 'val')
    expect(images.row(1)?.split).toBe('val')
    expect(filters.ids).toEqual([1, 2, 3, 6])
    expect(labels.saveState).toBe('saving')
    fake.release()
    expect(await moved).toBe(true)
    expect(fake.callsOf('split:set')).toEqual([{ imageIds: [1, 3], split: 'val' }])
    expect(fake.rows.filter((r) => r.split === 'val').map((r) => r.id)).toEqual([1, 2, 3, 6])
    expect(labels.saveState).toBe('saved')
    expect(labels.lastEdit).toEqual({ kind: 'split', cells: 0, images: 2, split: 'val' })
    // Nothing to move: no call.
    expect(await labels.setSplit([1, 2], 'val')).toBe(true)
    expect(fake.callsOf('split:set')).toHaveLength(1)
  })

  it('a refused move puts the rows back and shows the error', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const labels = useLabelsStore()
    const invoke = fake.invoke.bind(fake)
    fake.invoke = ((name, input) =>
      name === 'split:set' ? Promise.reject({ code: 'CONFLICT', message: 'read-only' }) : invoke(name, input)) as FakeBridge['invoke']
    expect(await labels.setSplit([1], 'test')).toBe(false)
    expect(useImagesStore().row(1)?.split).toBe('train')
    expect(labels.saveState).toBe('error')
  })
})

describe('undo and redo availability', () => {
  it('is asked for when the project opens and follows each edit, undo and redo', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const labels = useLabelsStore()
    await settle()
    expect(fake.callsOf('labels:history')).toHaveLength(1)
    expect([labels.canUndo, labels.canRedo]).toEqual([false, false])

    await labels.toggle(1, 'shoes')
    expect([labels.canUndo, labels.canRedo]).toEqual([true, false])
    await labels.undo()
    expect([labels.canUndo, labels.canRedo]).toEqual([false, true])
    await labels.redo()
    expect([labels.canUndo, labels.canRedo]).toEqual([true, false])
    await labels.redo() // nothing to redo: the service is asked again
    await settle()
    expect([labels.canUndo, labels.canRedo]).toEqual([true, false])
    expect(fake.callsOf('labels:history')).toHaveLength(2)
  })

  it('an edit history kept from an earlier session enables undo at once', async () => {
    const fake = new FakeBridge(sampleRows())
    await fake.invoke('labels:set', { changes: [{ imageId: 2, label: 'red', value: 1 }] })
    await openProject(fake, use)
    const labels = useLabelsStore()
    await settle()
    expect([labels.canUndo, labels.canRedo]).toEqual([true, false])
  })
})
