import type { ImageRow, NearDuplicate, Split } from '../../src-preload/contract.ts'

// The health panel's numbers that come from the rows the grid shows: per-label counts per split and label
// co-occurrence. Each count has a function giving exactly its images, so clicking a number shows that many.

export const SPLITS: readonly Split[] = ['train', 'val', 'test']

/** A column of the counts table: one split, or every image. */
export type SplitColumn = Split | 'all'

export interface SplitCounts {
  images: number
  /** positives per label, in the project's label order */
  positives: number[]
  /** images with at least one empty cell */
  emptyCells: number
}

export type CountsTable = Record<SplitColumn, SplitCounts>

function inColumn(row: ImageRow, column: SplitColumn): boolean {
  return column === 'all' || row.split === column
}

function hasEmptyCell(row: ImageRow, labelCount: number): boolean {
  for (let j = 0; j < labelCount; j++) if (row.labels[j] === null || row.labels[j] === undefined) return true
  return false
}

/** One pass over the rows: images, positives per label and images with an empty cell, per split and overall. */
export function countBySplit(rows: readonly ImageRow[], labelCount: number): CountsTable {
  const blank = (): SplitCounts => ({
    images: 0,
    positives: new Array<number>(labelCount).fill(0),
    emptyCells: 0,
  })
  const table: CountsTable = { train: blank(), val: blank(), test: blank(), all: blank() }
  for (const row of rows) {
    const empty = hasEmptyCell(row, labelCount)
    for (const c of [table[row.split], table.all]) {
      c.images++
      if (empty) c.emptyCells++
      for (let j = 0; j < labelCount; j++) if (row.labels[j] === 1) c.positives[j] = (c.positives[j] ?? 0) + 1
    }
  }
  return table
}

/** The images counted in one cell of the counts table: positive for the label, in the column's split. */
export function positiveIds(rows: readonly ImageRow[], labelIndex: number, column: SplitColumn): number[] {
  const ids: number[] = []
  for (const row of rows) if (inColumn(row, column) && row.labels[labelIndex] === 1) ids.push(row.id)
  return ids
}

/** The images of a column (a split, or all). */
export function splitIds(rows: readonly ImageRow[], column: SplitColumn): number[] {
  const ids: number[] = []
  for (const row of rows) if (inColumn(row, column)) ids.push(row.id)
  return ids
}

/** The images of a column with at least one empty label cell. */
export function emptyCellIds(rows: readonly ImageRow[], labelCount: number, column: SplitColumn): number[] {
  const ids: number[] = []
  for (const row of rows) if (inColumn(row, column) && hasEmptyCell(row, labelCount)) ids.push(row.id)
  return ids
}

/** Images positive for both labels, label order × label order; the diagonal holds each label's positives. */
export function cooccurrence(rows: readonly ImageRow[], labelCount: number): number[][] {
  const m = Array.from({ length: labelCount }, () => new Array<number>(labelCount).fill(0))
  const on: number[] = []
  for (const row of rows) {
    on.length = 0
    for (let j = 0; j < labelCount; j++) if (row.labels[j] === 1) on.push(j)
    for (const a of on) {
      const line = m[a] as number[]
      for (const b of on) line[b] = (line[b] ?? 0) + 1
    }
  }
  return m
}

/** The images of one co-occurrence cell: positive for both labels (for one label on the diagonal). */
export function cooccurrenceIds(rows: readonly ImageRow[], a: number, b: number): number[] {
  const ids: number[] = []
  for (const row of rows) if (row.labels[a] === 1 && row.labels[b] === 1) ids.push(row.id)
  return ids
}

/**
 * How strongly a cell is shaded, 0 (empty) to 1 (the largest count). Square root, so the many small
 * co-occurrences stay visible beside a few large ones; any non-zero count gets a visible floor.
 */
export function shade(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0
  return Math.min(1, 0.12 + 0.88 * Math.sqrt(count / max))
}

/** The largest count off the diagonal (the diagonal, each label's own total, would wash the rest out). */
export function offDiagonalMax(m: readonly (readonly number[])[]): number {
  let max = 0
  for (let a = 0; a < m.length; a++) {
    const line = m[a] ?? []
    for (let b = 0; b < line.length; b++) if (a !== b) max = Math.max(max, line[b] ?? 0)
  }
  return max
}

/** Pairs across splits first (they inflate validation figures), then most similar first. */
export function orderPairs(pairs: readonly NearDuplicate[]): NearDuplicate[] {
  return [...pairs].sort(
    (x, y) =>
      Number(y.crossSplit) - Number(x.crossSplit) || y.similarity - x.similarity || x.a - y.a || x.b - y.b,
  )
}

/** Every image in the given pairs, once each, in pair order. */
export function pairImageIds(pairs: readonly NearDuplicate[]): number[] {
  const seen = new Set<number>()
  for (const p of pairs) {
    seen.add(p.a)
    seen.add(p.b)
  }
  return [...seen]
}

/** A similarity threshold typed by the user: a number above 0 and at most 1, or why not. */
export function parseSimilarity(text: string): { value: number } | { error: string } {
  const t = text.trim()
  const value = Number(t)
  if (t === '' || !Number.isFinite(value)) return { error: `"${text}" is not a number` }
  if (value <= 0 || value > 1)
    return { error: `${value} is outside (0, 1]: cosine similarity above 0, at most 1` }
  return { value }
}
