import { describe, expect, it, vi } from 'vitest'
import type { ImageRow, LabelValue, TagsmithApi } from '../../../src-preload/contract.ts'
import {
  applyFilter,
  compileFilter,
  countLabels,
  emptyFilter,
  updateCounts,
  updateFilter,
  type Filter,
  type RowChange,
} from '../../../src-renderer/lib/filter.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const LABELS = ['a', 'b', 'c', 'd']
const GROUPS = [['a', 'b']]

/** Deterministic pseudo-random numbers (mulberry32), so a failure replays. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s + 0x6d2b79f5) | 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function randomRow(id: number, next: () => number): ImageRow {
  return {
    id,
    path: `./set${id % 3}/img${id}.jpg`,
    source: 'train.csv',
    split: next() < 0.7 ? 'train' : 'val',
    status: next() < 0.9 ? 'ok' : 'missing',
    labels: LABELS.map((): LabelValue => (next() < 0.1 ? null : next() < 0.4 ? 1 : 0)),
    edited: next() < 0.2,
    hash8: null,
  }
}

const FILTERS: Filter[] = [
  emptyFilter(),
  { ...emptyFilter(), labels: { a: 'has' } },
  { ...emptyFilter(), labels: { b: 'has', c: 'lacks' }, splits: ['val'] },
  { ...emptyFilter(), edited: 'edited', statuses: ['ok'] },
  { ...emptyFilter(), violations: true },
  { ...emptyFilter(), search: 'SET1' },
]

describe('filter results after edits', () => {
  it.each(FILTERS.map((f, i) => [i, f] as const))('filter %i: updating from the changed rows equals a full pass', (_, filter) => {
    const next = random(7)
    const rows = Array.from({ length: 300 }, (_, i) => randomRow(i + 1, next))
    const position = new Map(rows.map((r, i) => [r.id, i]))
    const order = (id: number): number => position.get(id) ?? -1
    const passes = compileFilter(LABELS, GROUPS, filter)
    let result = applyFilter(rows, LABELS, GROUPS, filter)
    let totals = countLabels(rows, LABELS.length)
    for (let step = 0; step < 200; step++) {
      // One to three rows replaced per step, sometimes the same row twice.
      const changes: RowChange[] = []
      for (let k = 1 + Math.floor(next() * 3); k > 0; k--) {
        const i = Math.floor(next() * rows.length)
        const before = rows[i] as ImageRow
        const after = { ...randomRow(before.id, next), path: before.path }
        rows[i] = after
        changes.push({ before, after })
      }
      result = updateFilter(result, changes, passes, order)
      totals = updateCounts(totals, changes)
      expect(result).toEqual(applyFilter(rows, LABELS, GROUPS, filter))
      expect(totals).toEqual(countLabels(rows, LABELS.length))
    }
  })

  it('an edit in the store updates ids and counts without a new pass over every row', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    const images = useImagesStore()
    const labels = useLabelsStore()
    filters.setLabel('red', 'has')
    const ids = filters.ids
    expect(ids).toEqual([1, 3, 6])

    // Membership unchanged: the same ids array (a full pass would build a new one), counts follow the edit.
    await labels.toggle(1, 'shoes')
    expect(filters.ids).toBe(ids)
    expect(filters.counts[APPAREL.indexOf('shoes')]).toBe(2)
    expect(filters.totals[APPAREL.indexOf('shoes')]).toBe(2)

    // Image 3 leaves the filter and comes back in its place.
    await labels.toggle(3, 'red')
    expect(filters.ids).toEqual([1, 6])
    await labels.undo()
    expect(filters.ids).toEqual([1, 3, 6])
    const full = applyFilter(images.rows, APPAREL, [], filters.filter)
    expect(filters.counts).toEqual(full.counts)
    expect(filters.totals).toEqual(countLabels(images.rows, APPAREL.length))
  })

  it('a reload of the rows takes a full pass again', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const filters = useFiltersStore()
    const images = useImagesStore()
    expect(filters.ids).toHaveLength(6)
    fake.rows = fake.rows.slice(0, 2)
    await images.load()
    expect(filters.ids).toEqual([1, 2])
    expect(filters.totals).toEqual(countLabels(images.rows, APPAREL.length))
  })
})
