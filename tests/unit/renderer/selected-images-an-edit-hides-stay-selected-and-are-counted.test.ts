import { nextTick } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useSelectionStore } from '../../../src-renderer/stores/selection.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const sorted = (s: Iterable<number>): number[] => [...s].sort((a, b) => a - b)

describe('hidden selection', () => {
  it('an edit that moves selected images out of the filter keeps them selected and counts them hidden', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    const sel = useSelectionStore()
    const labels = useLabelsStore()
    filters.setLabel('red', 'has') // 1, 3, 6
    await nextTick()
    sel.click(1)
    sel.click(3, { range: false, toggle: true })
    expect(sel.hiddenCount).toBe(0)

    expect(await labels.setMany(sel.ids(), 'red', 0)).toBe(true)
    expect(sorted(filters.ids)).toEqual([6])
    expect(sorted(sel.selected)).toEqual([1, 3])
    expect(sel.count).toBe(2)
    expect(sel.hiddenCount).toBe(2)

    // Bulk edits go on reaching them: the hidden images are the ones that get "blue".
    expect(await labels.setMany(sel.ids(), 'blue', 1)).toBe(true)
    const images = useImagesStore()
    const blue = labels.labels.indexOf('blue')
    expect([1, 3].map((id) => images.row(id)?.labels[blue])).toEqual([1, 1])
    expect(sel.hiddenCount).toBe(2)
  })

  it('a filter that shows them again counts none hidden; dropHidden keeps only the visible ones', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    const sel = useSelectionStore()
    const labels = useLabelsStore()
    filters.setLabel('red', 'has')
    await nextTick()
    sel.click(1)
    sel.click(6, { range: true, toggle: false }) // 1, 3, 6
    await labels.setMany([1], 'red', 0)
    expect(sel.hiddenCount).toBe(1)
    expect(sel.openTarget()).toBe(6) // the cursor, still shown and selected

    filters.setLabel('red', 'any')
    await nextTick()
    expect(sel.hiddenCount).toBe(0)
    expect(sorted(sel.selected)).toEqual([1, 3, 6])

    filters.setLabel('dress', 'has') // 1, 6 remain shown; 3 is hidden by the filter the user picked: dropped
    await nextTick()
    expect(sorted(sel.selected)).toEqual([1, 6])
    await labels.setMany([1, 6], 'dress', 0)
    expect(sel.hiddenCount).toBe(2)
    sel.dropHidden()
    expect(sel.count).toBe(0)
    expect(sel.hiddenCount).toBe(0)
  })

  it('Enter opens the cursor image, or the first selected one in grid order when the cursor is not selected', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const sel = useSelectionStore()
    expect(sel.openTarget()).toBeUndefined()
    sel.selectAll()
    expect(sel.openTarget()).toBe(1)
    sel.click(4)
    expect(sel.openTarget()).toBe(4)
    sel.click(5, { range: false, toggle: true })
    sel.click(4, { range: false, toggle: true }) // cursor on 4, which is no longer selected
    expect(sel.openTarget()).toBe(5)
  })
})
