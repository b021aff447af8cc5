import type { LabelMetrics, RunMetrics } from '../../../src-preload/contract.ts'
import { decide, type LabelGroups } from './decode.ts'
import type { LabelMatrix } from './label-matrix.ts'

export type { LabelMetrics }
/** A run's metrics are stored and sent as they are computed: one shape, the contract's. */
export type Metrics = RunMetrics

function f1Of(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
}

/** Average precision: mean of the precision at the rank of each positive, scores sorted descending. */
export function averagePrecision(scores: ArrayLike<number>, truth: ArrayLike<number>): number {
  const idx = Array.from({ length: scores.length }, (_, i) => i)
  idx.sort((a, b) => (scores[b] as number) - (scores[a] as number))
  let tp = 0
  let sum = 0
  idx.forEach((i, rank) => {
    if (truth[i] === 1) {
      tp++
      sum += tp / (rank + 1)
    }
  })
  return tp === 0 ? 0 : sum / tp
}

/** Exact-match: the share of rows whose every known label is decided correctly. */
export function exactMatch(decisions: Uint8Array, truth: LabelMatrix): number {
  if (truth.rows === 0) return 0
  let ok = 0
  for (let r = 0; r < truth.rows; r++) {
    let all = true
    for (let j = 0; j < truth.cols && all; j++) {
      const k = r * truth.cols + j
      if (truth.mask[k] === 1 && decisions[k] !== truth.values[k]) all = false
    }
    if (all) ok++
  }
  return ok / truth.rows
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
  const perLabel: Record<string, LabelMetrics> = {}
  let correct = 0
  let known = 0
  let tpAll = 0
  let fpAll = 0
  let fnAll = 0
  let f1Sum = 0
  let apSum = 0
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
    const m: LabelMetrics = {
      precision: tp + fp === 0 ? 0 : tp / (tp + fp),
      recall: tp + fn === 0 ? 0 : tp / (tp + fn),
      f1: f1Of(tp, fp, fn),
      ap: averagePrecision(scores, t),
      support: tp + fn,
      tp,
      fp,
      fn,
    }
    perLabel[labels[j] ?? String(j)] = m
    tpAll += tp
    fpAll += fp
    fnAll += fn
    f1Sum += m.f1
    apSum += m.ap
  }
  const out: Metrics = {
    n: rows,
    exactMatch: exactMatch(decisions, truth),
    hammingAccuracy: known === 0 ? 0 : correct / known,
    macroF1: cols === 0 ? 0 : f1Sum / cols,
    microF1: f1Of(tpAll, fpAll, fnAll),
    mAP: cols === 0 ? 0 : apSum / cols,
    perLabel,
  }
  if (opts.groups && opts.groups.length > 0) {
    out.exactMatchGrouped = exactMatch(decide(probs, rows, cols, { thresholds: opts.thresholds, groups: opts.groups }), truth)
  }
  return out
}
