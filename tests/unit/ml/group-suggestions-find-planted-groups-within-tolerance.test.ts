import { describe, expect, it } from 'vitest'
import type { LabelValue } from '../../../src-preload/contract.ts'
import {
  allowedViolations,
  SUGGEST_MIN_SUPPORT,
  SUGGEST_TOLERANCE,
  suggestGroups,
  withSuggestions,
} from '../../../src-main/core/ml/group-suggestions.ts'
import { maximalCliques } from '../../../src-main/core/ml/maximal-cliques.ts'
import { makeRng } from '../../../src-shared/rng.ts'

// Synthetic label rows: planted groups (exactly one member set per image) next to independent labels.

const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']
const FREE = ['sleeveless', 'striped', 'logo']

/** Rows over `labels`: one member of each group set at random, every other label 1 with probability `rate`. */
function synthetic(labels: string[], groups: string[][], n: number, seed: number, rate = 0.3): LabelValue[][] {
  const rng = makeRng(seed)
  const rows: LabelValue[][] = []
  for (let i = 0; i < n; i++) {
    const row: LabelValue[] = labels.map((l) => (groups.some((g) => g.includes(l)) ? 0 : rng() < rate ? 1 : 0))
    for (const g of groups) row[labels.indexOf(g[Math.floor(rng() * g.length)] as string)] = 1
    rows.push(row)
  }
  return rows
}

const set = (rows: LabelValue[][], labels: string[], i: number, label: string, v: LabelValue): void => {
  ;(rows[i] as LabelValue[])[labels.indexOf(label)] = v
}

describe('suggested label groups', () => {
  it('finds one planted group with its support and no violations, and nothing among independent labels', () => {
    const labels = [...COLOURS, ...FREE]
    const rows = synthetic(labels, [COLOURS], 400, 1)
    const { suggestions, tolerance, minSupport } = suggestGroups(labels, rows)
    expect(suggestions).toEqual([{ labels: COLOURS, support: 400, violations: 0 }])
    expect(tolerance).toBe(SUGGEST_TOLERANCE)
    expect(minSupport).toBe(SUGGEST_MIN_SUPPORT)
  })

  it('suggests nothing on a dataset without such structure', () => {
    const labels = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    for (const rate of [0.1, 0.3, 0.5]) expect(suggestGroups(labels, synthetic(labels, [], 1000, 7, rate)).suggestions).toEqual([])
    // Rare labels that never meet are pairwise exclusive, but most images have none of them.
    const rare = synthetic(labels, [], 1000, 8, 0).map((row, i) => row.map((_, j) => (i % 40 === j ? 1 : 0)) as LabelValue[])
    expect(suggestGroups(labels, rare).suggestions).toEqual([])
  })

  it('finds two groups, each in the project label order', () => {
    const labels = ['logo', ...GARMENTS, 'striped', ...COLOURS]
    const rows = synthetic(labels, [COLOURS, GARMENTS], 300, 2)
    const { suggestions } = suggestGroups(labels, rows)
    // Equal support: the larger group first.
    expect(suggestions.map((s) => s.labels)).toEqual([COLOURS, GARMENTS])
    expect(suggestions.every((s) => s.support === 300 && s.violations === 0)).toBe(true)
  })

  it('tolerates a few violating images and counts them; many violations are no group', () => {
    const labels = [...COLOURS, ...FREE]
    const n = 500
    const allowed = allowedViolations(n)
    expect(allowed).toBe(5)
    const rows = synthetic(labels, [COLOURS], n, 3)
    // Two images with two colours, one with none: three violations.
    set(rows, labels, 0, rows[0]?.[labels.indexOf('black')] === 1 ? 'blue' : 'black', 1)
    set(rows, labels, 1, rows[1]?.[labels.indexOf('red')] === 1 ? 'white' : 'red', 1)
    for (const c of COLOURS) set(rows, labels, 2, c, 0)
    expect(suggestGroups(labels, rows).suggestions).toEqual([{ labels: COLOURS, support: n, violations: 3 }])

    // As many as the tolerance allows: still suggested.
    for (let i = 3; i < 3 + allowed - 3; i++) for (const c of COLOURS) set(rows, labels, i, c, 0)
    expect(suggestGroups(labels, rows).suggestions).toEqual([{ labels: COLOURS, support: n, violations: allowed }])

    // One more: not.
    for (const c of COLOURS) set(rows, labels, 100, c, 0)
    expect(suggestGroups(labels, rows).suggestions).toEqual([])

    // Many images with two colours: no group either, nor a subset of it.
    const noisy = synthetic(labels, [COLOURS], n, 4)
    for (let i = 0; i < 40; i++) set(noisy, labels, i * 10, COLOURS[i % COLOURS.length] as string, 1)
    expect(suggestGroups(labels, noisy).suggestions).toEqual([])
  })

  it('ignores images with an empty cell of the group', () => {
    const labels = [...COLOURS, ...FREE]
    const rows = synthetic(labels, [COLOURS], 400, 5)
    // 30 images have a colour cell emptied, some with no colour left set: unfinished, not contradictory.
    for (let i = 0; i < 30; i++) {
      for (const c of COLOURS) set(rows, labels, i, c, 0)
      set(rows, labels, i, COLOURS[i % COLOURS.length] as string, null)
    }
    expect(suggestGroups(labels, rows).suggestions).toEqual([{ labels: COLOURS, support: 370, violations: 0 }])
  })

  it('proposes only the maximal set, never a subset of it', () => {
    // Colours exclusive pairwise and together: the full set only, not any pair or five of six.
    const labels = [...COLOURS]
    const rows = synthetic(labels, [COLOURS], 300, 6)
    expect(suggestGroups(labels, rows).suggestions.map((s) => s.labels)).toEqual([COLOURS])

    // A label exclusive with every colour but set on a few images that also have a colour (within the pairwise
    // tolerance) makes the seven-label clique fail; dropping it leaves the six colours.
    const withExtra = [...COLOURS, 'neon']
    const extra = synthetic(withExtra, [COLOURS], 600, 9).map((row, i) => {
      const next = [...row]
      next[6] = i % 100 === 0 ? 1 : 0
      return next
    })
    expect(suggestGroups(withExtra, extra).suggestions).toEqual([{ labels: COLOURS, support: 600, violations: 0 }])
  })

  it('wants enough support and members set often enough: a tiny dataset gets no chance group', () => {
    const labels = ['a', 'b']
    const tiny = Array.from({ length: SUGGEST_MIN_SUPPORT - 1 }, (_, i) => (i % 2 === 0 ? [1, 0] : [0, 1]) as LabelValue[])
    expect(suggestGroups(labels, tiny).suggestions).toEqual([])
    expect(suggestGroups(labels, [...tiny, [1, 0]]).suggestions).toEqual([{ labels, support: SUGGEST_MIN_SUPPORT, violations: 0 }])
    // A label set on four images only, against one set on all the others: not a group.
    const lopsided = Array.from({ length: 200 }, (_, i) => (i < 4 ? [0, 1] : [1, 0]) as LabelValue[])
    expect(suggestGroups(labels, lopsided).suggestions).toEqual([])
  })

  it('does not suggest a declared group or one overlapping a declared group', () => {
    const labels = [...COLOURS, ...GARMENTS]
    const rows = synthetic(labels, [COLOURS, GARMENTS], 300, 10)
    expect(suggestGroups(labels, rows, [COLOURS]).suggestions.map((s) => s.labels)).toEqual([GARMENTS])
    expect(suggestGroups(labels, rows, [['dress', 'shirt']]).suggestions.map((s) => s.labels)).toEqual([COLOURS])
    expect(suggestGroups(labels, rows, [COLOURS, GARMENTS]).suggestions).toEqual([])
  })

  it('merges suggestions into declared groups without overlap', () => {
    const s = (labels: string[]) => ({ labels, support: 100, violations: 0 })
    expect(withSuggestions([['x', 'y']], [s(['a', 'b']), s(['b', 'c']), s(['x', 'z']), s(['c', 'd'])])).toEqual([
      ['x', 'y'],
      ['a', 'b'],
      ['c', 'd'],
    ])
  })

  it('stays fast on 20,000 images and 300 labels', () => {
    // Five planted groups (40 labels) among 260 independent labels of varied rates.
    const groups = Array.from({ length: 5 }, (_, g) => Array.from({ length: 8 }, (_, k) => `g${g}_${k}`))
    const free = Array.from({ length: 260 }, (_, k) => `f${k}`)
    const labels = [...free.slice(0, 130), ...groups.flat(), ...free.slice(130)]
    const rng = makeRng(11)
    const rates = labels.map(() => 0.002 + rng() * 0.4)
    const columns = groups.map((g) => g.map((l) => labels.indexOf(l)))
    const rows: LabelValue[][] = Array.from({ length: 20_000 }, () => labels.map((_, j) => ((rng() < (rates[j] as number) ? 1 : 0) as LabelValue)))
    for (const row of rows) {
      for (const g of columns) {
        for (const j of g) row[j] = 0
        row[g[Math.floor(rng() * g.length)] as number] = 1
      }
    }
    const started = performance.now()
    const { suggestions } = suggestGroups(labels, rows)
    const ms = performance.now() - started
    console.log(`suggestGroups: 20,000 images x 300 labels in ${ms.toFixed(0)} ms`)
    expect(suggestions.map((s) => s.labels)).toEqual(groups)
    expect(ms).toBeLessThan(8_000)
  })
})

describe('maximal cliques', () => {
  it('lists each maximal clique once and stops at its bound', () => {
    // Two triangles sharing an edge (0-1-2, 1-2-3) and a pendant edge 3-4.
    const edges = [[0, 1], [0, 2], [1, 2], [1, 3], [2, 3], [3, 4]]
    const adjacent = Array.from({ length: 5 }, () => new Set<number>())
    for (const [a, b] of edges) {
      adjacent[a as number]?.add(b as number)
      adjacent[b as number]?.add(a as number)
    }
    const { cliques, truncated } = maximalCliques(adjacent, { minSize: 2 })
    expect(truncated).toBe(false)
    expect(cliques.map((c) => c.join(',')).sort()).toEqual(['0,1,2', '1,2,3', '3,4'])
    expect(maximalCliques(adjacent, { minSize: 2, limit: 1 })).toMatchObject({ truncated: true, cliques: [expect.any(Array)] })
  })
})
