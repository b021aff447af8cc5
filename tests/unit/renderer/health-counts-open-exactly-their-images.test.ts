import { describe, expect, it } from 'vitest'
import type { ImageRow, LabelValue, NearDuplicate, Split } from '../../../src-preload/contract.ts'
import {
  cooccurrence,
  cooccurrenceIds,
  countBySplit,
  emptyCellIds,
  offDiagonalMax,
  orderPairs,
  pairImageIds,
  parseSimilarity,
  positiveIds,
  shade,
  splitIds,
  SPLITS,
  type SplitColumn,
} from '../../../src-renderer/lib/health-counts.ts'

const LABELS = 7
const COLUMNS: SplitColumn[] = [...SPLITS, 'all']

// A small deterministic generator, so a failure names rows that can be read again.
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomRows(n: number, seed: number): ImageRow[] {
  const r = rng(seed)
  const splits: Split[] = ['train', 'train', 'train', 'val', 'test']
  return Array.from({ length: n }, (_, i) => ({
    id: 10 + i * 3, // ids that are not positions
    path: `./img/${i}.jpg`,
    source: 'train.csv',
    split: splits[Math.floor(r() * splits.length)] ?? 'train',
    status: 'ok',
    labels: Array.from({ length: LABELS }, (): LabelValue => {
      const x = r()
      return x < 0.04 ? null : x < 0.35 ? 1 : 0
    }),
    edited: false,
    hash8: null,
  }))
}

describe('health counts', () => {
  const rows = randomRows(400, 7)
  const table = countBySplit(rows, LABELS)

  it('every per-split count opens exactly the rows positive for that label in that split', () => {
    for (const c of COLUMNS) {
      for (let j = 0; j < LABELS; j++) {
        const ids = positiveIds(rows, j, c)
        const expected = rows
          .filter((r) => (c === 'all' || r.split === c) && r.labels[j] === 1)
          .map((r) => r.id)
        expect(ids).toEqual(expected)
        expect(ids).toHaveLength(table[c].positives[j] ?? -1)
      }
      expect(splitIds(rows, c)).toHaveLength(table[c].images)
      const empty = emptyCellIds(rows, LABELS, c)
      expect(empty).toHaveLength(table[c].emptyCells)
      for (const id of empty) expect(rows.find((r) => r.id === id)?.labels).toContain(null)
    }
    expect(table.all.images).toBe(400)
    expect(table.train.images + table.val.images + table.test.images).toBe(400)
    // The sample has empty cells, so the null path above was exercised.
    expect(table.all.emptyCells).toBeGreaterThan(0)
  })

  it('every co-occurrence cell opens exactly the rows positive for both labels; the diagonal is the label total', () => {
    const m = cooccurrence(rows, LABELS)
    for (let a = 0; a < LABELS; a++) {
      for (let b = 0; b < LABELS; b++) {
        const ids = cooccurrenceIds(rows, a, b)
        expect(ids).toEqual(rows.filter((r) => r.labels[a] === 1 && r.labels[b] === 1).map((r) => r.id))
        expect(ids).toHaveLength(m[a]?.[b] ?? -1)
        expect(m[a]?.[b]).toBe(m[b]?.[a])
      }
      expect(m[a]?.[a]).toBe(table.all.positives[a])
    }
  })

  it('a hand-made case', () => {
    const row = (id: number, split: Split, labels: LabelValue[]): ImageRow => ({
      id,
      path: `${id}`,
      source: 's',
      split,
      status: 'ok',
      labels,
      edited: false,
      hash8: null,
    })
    const small = [
      row(1, 'train', [1, 1, 0]),
      row(2, 'val', [1, 0, null]),
      row(3, 'train', [0, 1, 1]),
      row(4, 'train', [1, 1, 1]),
    ]
    const t = countBySplit(small, 3)
    expect(t.train).toEqual({ images: 3, positives: [2, 3, 2], emptyCells: 0 })
    expect(t.val).toEqual({ images: 1, positives: [1, 0, 0], emptyCells: 1 })
    expect(t.test).toEqual({ images: 0, positives: [0, 0, 0], emptyCells: 0 })
    expect(cooccurrence(small, 3)).toEqual([
      [3, 2, 1],
      [2, 3, 2],
      [1, 2, 2],
    ])
    expect(cooccurrenceIds(small, 0, 1)).toEqual([1, 4])
    expect(positiveIds(small, 0, 'train')).toEqual([1, 4])
    expect(offDiagonalMax(cooccurrence(small, 3))).toBe(2)
  })
})

describe('health shading, pair order, threshold text', () => {
  it('shading is 0 for nothing, visible for one, 1 at the largest and grows with the count', () => {
    expect(shade(0, 50)).toBe(0)
    expect(shade(3, 0)).toBe(0)
    expect(shade(1, 50)).toBeGreaterThan(0.1)
    expect(shade(50, 50)).toBe(1)
    expect(shade(80, 50)).toBe(1)
    let last = 0
    for (let n = 1; n <= 50; n++) {
      const s = shade(n, 50)
      expect(s).toBeGreaterThan(last)
      last = s
    }
  })

  it('pairs across splits come first, each side most similar first', () => {
    const p = (a: number, b: number, similarity: number, crossSplit: boolean): NearDuplicate => ({
      a,
      b,
      similarity,
      crossSplit,
    })
    const ordered = orderPairs([
      p(1, 2, 0.99, false),
      p(3, 4, 0.95, true),
      p(5, 6, 0.97, true),
      p(7, 8, 0.999, false),
    ])
    expect(ordered.map((x) => x.a)).toEqual([5, 3, 7, 1])
    expect(pairImageIds([p(1, 2, 1, true), p(2, 3, 1, true)])).toEqual([1, 2, 3])
  })

  it('a threshold is a number above 0 and at most 1', () => {
    expect(parseSimilarity(' 0.93 ')).toEqual({ value: 0.93 })
    expect(parseSimilarity('1')).toEqual({ value: 1 })
    for (const bad of ['', 'abc', '0', '-0.5', '1.01', 'NaN'])
      expect(parseSimilarity(bad)).toHaveProperty('error')
    expect(parseSimilarity('1.5')).toEqual({ error: expect.stringContaining('1.5') as unknown })
  })
})
