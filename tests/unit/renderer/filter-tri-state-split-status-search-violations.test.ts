import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { applyFilter, emptyFilter } from '../../../src-renderer/lib/filter.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const GROUPS = [
  ['black', 'blue', 'brown', 'green', 'red', 'white'],
  ['dress', 'shirt', 'pants', 'shorts', 'shoes'],
]

describe('filters', () => {
  it('combines has and lacks per label, and counts labels inside the filter beside the totals', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    expect(filters.ids).toEqual([1, 2, 3, 4, 5, 6])

    filters.cycleLabel('red') // any -> has
    expect(filters.labelState('red')).toBe('has')
    expect(filters.ids).toEqual([1, 3, 6])
    filters.setLabel('dress', 'lacks')
    expect(filters.ids).toEqual([3])
    expect(filters.counts[APPAREL.indexOf('shoes')]).toBe(1)
    expect(filters.totals[APPAREL.indexOf('red')]).toBe(3)
    expect(filters.totals[APPAREL.indexOf('dress')]).toBe(2)

    filters.cycleLabel('red') // has -> lacks
    expect(filters.ids).toEqual([2, 4, 5])
    filters.cycleLabel('red') // lacks -> any
    expect(filters.filter.labels).toEqual({ dress: 'lacks' })
  })

  it('filters by split, status, edited and a case-insensitive path search', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    filters.toggleSplit('val')
    expect(filters.ids).toEqual([2, 6])
    filters.toggleSplit('val')
    filters.toggleStatus('outside')
    expect(filters.ids).toEqual([5])
    filters.clear()
    filters.setEdited('edited')
    expect(filters.ids).toEqual([4])
    filters.setEdited('unedited')
    expect(filters.ids).not.toContain(4)
    filters.clear()
    filters.setSearch('RED_DRESS')
    expect(filters.ids).toEqual([1, 6])
    expect(filters.active).toBe(true)
  })

  it('finds group violations: a group without exactly one label', async () => {
    const specs = sampleRows()
    specs.push({ path: './c/none/g7.jpg', on: ['dress'] })
    await openProject(new FakeBridge(specs, APPAREL, GROUPS), use)
    const filters = useFiltersStore()
    filters.setViolations(true)
    expect(filters.ids).toEqual([6, 7])
  })

  it('follows label edits: an edited image leaves a filter it no longer matches', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    const labels = useLabelsStore()
    filters.setLabel('red', 'has')
    expect(filters.ids).toEqual([1, 3, 6])
    await labels.toggle(3, 'red')
    expect(filters.ids).toEqual([1, 6])
    expect(filters.counts[APPAREL.indexOf('red')]).toBe(2)
  })

  it('filters 11,000 rows in a few milliseconds', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const rows = useImagesStore().rows
    const many = Array.from({ length: 11_000 }, (_, i) => rows[i % rows.length])
      .filter((r) => r !== undefined)
      .map((r, i) => ({ ...r, id: i + 1 }))
    expect(many).toHaveLength(11_000)
    const f = { ...emptyFilter(), labels: { red: 'has' as const, shoes: 'lacks' as const }, search: 'dress' }
    const times: number[] = []
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now()
      applyFilter(many, APPAREL, GROUPS, { ...f, violations: i % 2 === 0 })
      times.push(performance.now() - t0)
    }
    // The median, with room for a busy test machine: typically 1-3 ms.
    const median = times.sort((a, b) => a - b)[7] ?? Infinity
    expect(median).toBeLessThan(25)
  })
})
