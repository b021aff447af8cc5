import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const RED = APPAREL.indexOf('red')

describe('undo and redo', () => {
  it('patch the rows they touch and leave every other row object as it was', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const images = useImagesStore()
    const labels = useLabelsStore()
    const untouched = images.row(2)

    await labels.toggle(1, 'red')
    expect(images.row(1)?.labels[RED]).toBe(0)
    expect(images.row(1)?.edited).toBe(true)

    const v = images.version
    await labels.undo()
    expect(images.version).toBeGreaterThan(v)
    expect(images.row(1)?.labels[RED]).toBe(1)
    expect(labels.lastEdit).toEqual({ kind: 'undo', cells: 1, images: 1 })

    await labels.redo()
    expect(images.row(1)?.labels[RED]).toBe(0)
    expect(fake.value(1, 'red')).toBe(0)
    expect(images.row(2)).toBe(untouched)
    expect(images.rows).toHaveLength(6)
    expect(labels.saveState).toBe('saved')
  })

  it('nothing to undo is not an error', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const labels = useLabelsStore()
    expect(await labels.undo()).toBe(true)
    expect(labels.lastEdit).toEqual({ kind: 'undo', cells: 0, images: 0 })
  })

  it('rows changed elsewhere arrive as an event and the filter follows', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const filters = useFiltersStore()
    useLabelsStore()
    filters.setLabel('green', 'has')
    expect(filters.ids).toEqual([])
    const row = useImagesStore().row(4)
    if (row === undefined) throw new Error('row 4 missing')
    const labels = [...row.labels]
    labels[APPAREL.indexOf('green')] = 1
    fake.emit('labels:changed', { rows: [{ ...row, labels }] })
    expect(filters.ids).toEqual([4])
  })
})
