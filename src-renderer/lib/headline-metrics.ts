import type { RunMetrics } from '../../src-preload/contract.ts'
import type { SplitMetrics } from './prediction-metrics.ts'

export type HeadlineKey = keyof Omit<RunMetrics, 'perLabel' | 'n'>

/** The figures every metrics table leads with, in one order: the run's table, the predictions panel, a comparison. */
export const HEADLINE_METRICS: ReadonlyArray<{ key: HeadlineKey; id: string; name: string; hint: string }> = [
  { key: 'exactMatch', id: 'exact', name: 'Exact match', hint: 'images with every label right' },
  { key: 'exactMatchGrouped', id: 'exact-grouped', name: 'Exact match, groups', hint: 'each label group decided by its most probable label' },
  { key: 'hammingAccuracy', id: 'hamming', name: 'Hamming accuracy', hint: 'label cells right' },
  { key: 'macroF1', id: 'macro-f1', name: 'Macro F1', hint: 'mean of the per-label F1' },
  { key: 'microF1', id: 'micro-f1', name: 'Micro F1', hint: 'F1 over all label cells' },
  { key: 'mAP', id: 'map', name: 'mAP', hint: 'mean average precision over labels' },
]

export interface HeadlineRow {
  id: string
  name: string
  value: number
  hint: string
}

/**
 * The headline rows a set of figures has (a figure that is null or missing, such as the grouped exact match
 * without groups, has no row); `hints` replaces the general hint where a table decides differently.
 */
export function headlineRows(
  figures: Partial<Record<HeadlineKey, number | null>>,
  hints: Partial<Record<HeadlineKey, string>> = {},
): HeadlineRow[] {
  return HEADLINE_METRICS.flatMap(({ key, id, name, hint }) => {
    const value = figures[key]
    return value === undefined || value === null ? [] : [{ id, name, value, hint: hints[key] ?? hint }]
  })
}

/** A split's figures from the predictions (SplitMetrics) in the shape a stored run's table takes. */
export function asRunMetrics(s: SplitMetrics): RunMetrics {
  const perLabel = Object.fromEntries(s.perLabel.map(({ label, ...figures }) => [label, figures]))
  const out: RunMetrics = { n: s.n, exactMatch: s.exactMatch, hammingAccuracy: s.hammingAccuracy, macroF1: s.macroF1, microF1: s.microF1, mAP: s.mAP, perLabel }
  if (s.exactMatchGrouped !== null) out.exactMatchGrouped = s.exactMatchGrouped
  return out
}
