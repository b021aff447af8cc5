import type { LabelMetrics, RunMetrics } from '../../../src-preload/contract.ts'
import { averagePrecisionInOrder, labelTable, shareOf } from '../../../src-shared/metric-formulas.ts'
import { decide, type LabelGroups } from './decode.ts'
import type { LabelMatrix } from './label-matrix.ts'

export type { LabelMetrics }
/** A run's metrics are stored and sent as they are computed: one shape, the contract's. */
export type Metrics = RunMetrics

/** Average precision: mean of the precision at the rank of each positive, scores sorted descending. */
export function averagePrecision(scores: ArrayLike<number>, truth: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i)
  // Stable sort: tied scores keep row order, as the predictions panel ranks them.
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number))
  return averagePrecisionInOrder(idx.map((i) => (truth[i] === 1 ? 1 : 0)))
}

/** Exact-match: the share of rows whose every known label is decided correctly. */
export function exactMatch(decisions: Uint8Array, truth: LabelMatrix): number {
  let ok = 0
  for (let r = 0; r < truth.rows; r++) {
    let all = true
    for (let j = 0; j < truth.cols && all; j++) {
      const k = r * truth.cols + j
      if (truth.mask[k] === 1 && decisions[k] !== truth.values[k]) all = false
    }
    if (all) ok++
  }
  return shareOf(ok, truth.rows)
}

/**
 * Metrics of probabilities against labels. Empty cells (mask 0) are ignored.
 * Thresholds default to 0.5; when groups are given, exactMatchGrouped decodes each group by argmax.
 */
export function computeMetrics(
  probs: Float32Array,
  truth: LabelMatrix,
  labels: readonly string[],
  opts: { thresholds?: ArrayLike<number>; groups?: LabelGroups } = {},
): Metrics {
  const { rows, cols } = truth
  const decisions = decide(probs, rows, cols, { thresholds: opts.thresholds })
  const tps = new Int32Array(cols)
  const fps = new Int32Array(cols)
  const fns = new Int32Array(cols)
  const aps = new Float64Array(cols)
  let correct = 0
  let known = 0
  for (let j = 0; j < cols; j++) {
    let tp = 0
    let fp = 0
    let fn = 0
    const scores: number[] = []
    const t: number[] = []
    for (let r = 0; r < rows; r++) {
      const k = r * cols + j
      if (truth.mask[k] !== 1) continue
      const y = truth.values[k]
      const d = decisions[k]
      known++
      if (d === y) correct++
      if (d === 1 && y === 1) tp++
      else if (d === 1) fp++
      else if (y === 1) fn++
      scores.push(probs[k] as number)
      t.push(y as number)
    }
    tps[j] = tp
    fps[j] = fp
    fns[j] = fn
    aps[j] = averagePrecision(scores, t)
  }
  const table = labelTable(cols, tps, fps, fns, aps)
  const perLabel: Record<string, LabelMetrics> = {}
  table.perLabel.forEach((m, j) => {
    perLabel[labels[j] ?? String(j)] = m
  })
  const out: Metrics = {
    n: rows,
    exactMatch: exactMatch(decisions, truth),
    hammingAccuracy: shareOf(correct, known),
    macroF1: table.macroF1,
    microF1: table.microF1,
    mAP: table.mAP,
    perLabel,
  }
  if (opts.groups && opts.groups.length > 0) {
    out.exactMatchGrouped = exactMatch(decide(probs, rows, cols, { thresholds: opts.thresholds, groups: opts.groups }), truth)
  }
  return out
}
