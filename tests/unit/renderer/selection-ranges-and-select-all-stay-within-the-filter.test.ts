import { nextTick } from 'vue'
import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useSelectionStore } from '../../../src-renderer/stores/selection.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const sorted = (s: ReadonlySet<number>): number[] => [...s].sort((a, b) => a - b)

describe('selection', () => {
  it('click selects one, ctrl-click toggles, shift-click takes the range in grid order', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const sel = useSelectionStore()
    sel.click(2)
    expect(sorted(sel.selected)).toEqual([2])
    sel.click(5, { range: true, toggle: false })
    expect(sorted(sel.selected)).toEqual([2, 3, 4, 5])
    sel.click(3, { range: false, toggle: true })
    expect(sorted(sel.selected)).toEqual([2, 4, 5])
    // The anchor moved to 3: shift-click backwards from it replaces the selection.
    sel.click(1, { range: true, toggle: false })
    expect(sorted(sel.selected)).toEqual([1, 2, 3])
    // Ctrl+shift adds a range to what is there.
    sel.click(6, { range: false, toggle: true })
    sel.click(4, { range: true, toggle: true })
    expect(sorted(sel.selected)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('shift-click ranges follow the filtered order, skipping hidden images', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    const sel = useSelectionStore()
    filters.setLabel('red', 'has') // 1, 3, 6
    sel.click(1)
    sel.click(6, { range: true, toggle: false })
    expect(sorted(sel.selected)).toEqual([1, 3, 6])
  })

  it('Ctrl+A selects exactly the images in the filter', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    const sel = useSelectionStore()
    filters.toggleSplit('val')
    sel.selectAll()
    expect(sorted(sel.selected)).toEqual([2, 6])
    expect(sel.count).toBe(2)
  })

  it('a narrower filter drops the images it hides from the selection', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    const sel = useSelectionStore()
    sel.selectAll()
    filters.setLabel('shirt', 'has') // 2, 5
    await nextTick()
    expect(sorted(sel.selected)).toEqual([2, 5])
  })
})
