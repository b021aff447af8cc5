import type { RunDetail } from '../../src-preload/contract.ts'
import { HEADLINE_METRICS } from './headline-metrics.ts'

/** One figure of two runs side by side; null where a run does not have it. */
export interface CompareRow {
  key: string
  name: string
  left: number | null
  right: number | null
  /** right - left */
  delta: number | null
}

function row(key: string, name: string, left: number | undefined, right: number | undefined): CompareRow {
  const l = left ?? null
  const r = right ?? null
  return { key, name, left: l, right: r, delta: l !== null && r !== null ? r - l : null }
}

/** The headline metrics, then F1 and AP of every label either run has (the left run's order first). */
export function compareRuns(left: RunDetail, right: RunDetail): CompareRow[] {
  const rows = HEADLINE_METRICS.filter((h) => left.metrics[h.key] !== undefined || right.metrics[h.key] !== undefined).map((h) =>
    row(h.key, h.name, left.metrics[h.key], right.metrics[h.key]),
  )
  const labels = [...Object.keys(left.metrics.perLabel)]
  for (const l of Object.keys(right.metrics.perLabel)) if (!labels.includes(l)) labels.push(l)
  for (const l of labels) {
    const a = left.metrics.perLabel[l]
    const b = right.metrics.perLabel[l]
    rows.push(row(`f1:${l}`, `${l} · F1`, a?.f1, b?.f1), row(`ap:${l}`, `${l} · AP`, a?.ap, b?.ap))
  }
  return rows
}
