// Decisions, review flags and metrics from a run's probabilities at the current thresholds. This runs on
// every slider move over every image (11k x 11 cells), so it is written as plain loops over typed arrays
// with no allocation per cell.
import type { LabelMetrics, PredictionSource } from '../../src-preload/contract.ts'
import { averagePrecisionInOrder, labelTable, precisionOf, recallOf, shareOf } from '../../src-shared/metric-formulas.ts'

/** Where a row's probability came from, as a small code (index into this list). */
export const SOURCES: readonly PredictionSource[] = ['oof', 'val', 'test', 'unlabelled']
/** The sources metrics can be shown for: unlabelled rows have no labels to compare with. */
export type MetricSplit = Exclude<PredictionSource, 'unlabelled'>
export const METRIC_SPLITS: readonly MetricSplit[] = ['val', 'oof', 'test']

/**
 * A decision whose margin is at most this is "uncertain". The margin is |p - threshold| for a label
 * decided by its threshold, and half the gap between the two most probable labels for a label decided by
 * its group (how far each would have to move for the group's decision to change).
 */
export const UNCERTAIN_BAND = 0.1
/**
 * "Confident and wrong": the decision disagrees with a set label (0 or 1; empty cells never count) and the
 * probability is at least this far from it: labelled 0 with p >= 0.9, or labelled 1 with p <= 0.1.
 */
export const CONFIDENT = 0.9

/** Per cell: how the decision compares with the label. An empty cell counts as "not labelled". */
export const AGREE = 0
/** predicted, not labelled */
export const MISSING = 1
/** labelled, not predicted */
export const EXTRA = 2

/** Per image: bit flags the grid filters use. */
export const DISAGREES = 1
export const UNCERTAIN = 2
export const CONFIDENT_WRONG = 4

/** A run's probabilities in typed arrays: row r, label j is probs[r * labelCount + j]. */
export interface PredictionMatrix {
  runId: number
  labels: readonly string[]
  imageIds: Int32Array
  probs: Float32Array
  /** per row: index into SOURCES */
  source: Uint8Array
}

/** Per cell, the label as set now: 1, 0, or -1 for an empty cell (or an image no longer in the project). */
export type Truth = Int8Array

/** Everything a threshold move changes, for every image, plus the counts for one split. */
export interface Evaluation {
  /** per cell: the decision shown (groups by argmax when group decoding is on) */
  decisions: Uint8Array
  /** per cell: AGREE / MISSING / EXTRA */
  status: Uint8Array
  /** per image: DISAGREES | UNCERTAIN | CONFIDENT_WRONG */
  flags: Uint8Array
  /** per image: the smallest margin of its decisions (see UNCERTAIN_BAND); sorts by confidence */
  margin: Float32Array
  /** cells predicted but not labelled, over every image */
  missing: number
  /** cells labelled but not predicted, over every image */
  extra: number
  /** images with at least one disagreement */
  disagreeing: number
  uncertain: number
  confidentWrong: number
  split: SplitCounts
}

/** Counts over the rows of one split and the cells of those rows that are set (0 or 1). */
export interface SplitCounts {
  rows: number
  tp: Int32Array
  fp: Int32Array
  fn: Int32Array
  tn: Int32Array
  /** cells set */
  known: number
  /** cells set and decided right */
  correct: number
  /** rows whose every set cell is right, each label decided by its threshold */
  exactThreshold: number
  /** the same with groups decided by their most probable label */
  exactGrouped: number
}

export interface EvaluateOptions {
  /** Decide grouped labels by the group's most probable label (otherwise every label by its threshold). */
  decodeGroups: boolean
  /** The split counted for metrics: an index into SOURCES. */
  split: number
}

/** For each label, its group's index, or -1. */
function groupOfLabels(labelCount: number, groups: readonly (readonly number[])[]): Int32Array {
  const of = new Int32Array(labelCount).fill(-1)
  groups.forEach((g, k) => {
    for (const j of g) if (j >= 0 && j < labelCount) of[j] = k
  })
  return of
}

/**
 * One pass over every cell: decisions, per-cell status, per-image flags and margins, and the split's
 * confusion counts. `groups` are label indices; a label should be in one group at most.
 */
export function evaluate(
  m: PredictionMatrix,
  truth: Truth,
  thresholds: ArrayLike<number>,
  groups: readonly (readonly number[])[],
  opts: EvaluateOptions,
): Evaluation {
  const L = m.labels.length
  const n = m.imageIds.length
  const { probs, source } = m
  const decisions = new Uint8Array(n * L)
  const status = new Uint8Array(n * L)
  const flags = new Uint8Array(n)
  const margin = new Float32Array(n)
  const tp = new Int32Array(L)
  const fp = new Int32Array(L)
  const fn = new Int32Array(L)
  const tn = new Int32Array(L)
  const t = Float64Array.from({ length: L }, (_, j) => thresholds[j] ?? 0.5)
  const groupOf = groupOfLabels(L, groups)
  const G = groups.length
  const best = new Int32Array(G)
  const top1 = new Float64Array(G)
  const top2 = new Float64Array(G)
  const decodeGroups = opts.decodeGroups && G > 0
  const split = opts.split
  let missing = 0
  let extra = 0
  let disagreeing = 0
  let uncertain = 0
  let confidentWrong = 0
  let rows = 0
  let known = 0
  let correct = 0
  let exactThreshold = 0
  let exactGrouped = 0

  for (let r = 0; r < n; r++) {
    const base = r * L
    for (let k = 0; k < G; k++) {
      best[k] = -1
      top1[k] = -1
      top2[k] = 0
    }
    if (G > 0) {
      for (let j = 0; j < L; j++) {
        const k = groupOf[j] as number
        if (k < 0) continue
        const p = probs[base + j] as number
        const first = top1[k] as number
        if (p > first) {
          top2[k] = first > 0 ? first : 0
          top1[k] = p
          best[k] = j
        } else if (p > (top2[k] as number)) top2[k] = p
      }
    }
    const inSplit = source[r] === split
    let allThreshold = true
    let allGrouped = true
    let least = Infinity
    let f = 0
    for (let j = 0; j < L; j++) {
      const c = base + j
      const p = probs[c] as number
      const th = t[j] as number
      const y = truth[c] as number
      const k = groupOf[j] as number
      const byThreshold = p >= th ? 1 : 0
      const byGroup = k >= 0 ? (best[k] === j ? 1 : 0) : byThreshold
      const d = decodeGroups ? byGroup : byThreshold
      decisions[c] = d
      const mg = decodeGroups && k >= 0 ? ((top1[k] as number) - (top2[k] as number)) / 2 : p >= th ? p - th : th - p
      if (mg < least) least = mg
      if (d === 1) {
        if (y !== 1) {
          status[c] = MISSING
          missing++
          f |= DISAGREES
          if (y === 0 && p >= CONFIDENT) f |= CONFIDENT_WRONG
        }
      } else if (y === 1) {
        status[c] = EXTRA
        extra++
        f |= DISAGREES
        if (p <= 1 - CONFIDENT) f |= CONFIDENT_WRONG
      }
      if (inSplit && y !== -1) {
        known++
        if (d === y) correct++
        if (d === 1) {
          if (y === 1) tp[j] = (tp[j] ?? 0) + 1
          else fp[j] = (fp[j] ?? 0) + 1
        } else if (y === 1) fn[j] = (fn[j] ?? 0) + 1
        else tn[j] = (tn[j] ?? 0) + 1
        if (byThreshold !== y) allThreshold = false
        if (byGroup !== y) allGrouped = false
      }
    }
    if (least <= UNCERTAIN_BAND) f |= UNCERTAIN
    margin[r] = L === 0 ? 1 : least
    flags[r] = f
    if ((f & DISAGREES) !== 0) disagreeing++
    if ((f & UNCERTAIN) !== 0) uncertain++
    if ((f & CONFIDENT_WRONG) !== 0) confidentWrong++
    if (inSplit) {
      rows++
      if (allThreshold) exactThreshold++
      if (allGrouped) exactGrouped++
    }
  }
  return {
    decisions,
    status,
    flags,
    margin,
    missing,
    extra,
    disagreeing,
    uncertain,
    confidentWrong,
    split: { rows, tp, fp, fn, tn, known, correct, exactThreshold, exactGrouped },
  }
}

/** Per label, the split's rows (row indices) in descending order of probability; ties keep row order. */
export function rankRows(m: PredictionMatrix, split: number): Int32Array[] {
  const L = m.labels.length
  const members: number[] = []
  for (let r = 0; r < m.imageIds.length; r++) if (m.source[r] === split) members.push(r)
  const out: Int32Array[] = []
  for (let j = 0; j < L; j++) {
    const order = members.slice()
    order.sort((a, b) => (m.probs[b * L + j] as number) - (m.probs[a * L + j] as number))
    out.push(Int32Array.from(order))
  }
  return out
}

/** Average precision per label over the split's ranking (rankRows), empty cells left out. */
export function averagePrecisions(m: PredictionMatrix, truth: Truth, ranked: readonly Int32Array[]): Float64Array {
  const L = m.labels.length
  const ap = new Float64Array(L)
  for (let j = 0; j < L; j++) {
    const order = ranked[j] ?? new Int32Array(0)
    // -1 (an empty cell) takes no rank in the shared formula.
    ap[j] = averagePrecisionInOrder(Int8Array.from(order, (r) => truth[r * L + j] ?? -1))
  }
  return ap
}

/** A label's figures on the split, as a trained run reports them; support counts the split's set positives. */
export interface LabelSummary extends LabelMetrics {
  label: string
}

/** The metrics panel's figures for one split. exactMatchGrouped is null when no group is declared. */
export interface SplitMetrics {
  n: number
  exactMatch: number
  exactMatchGrouped: number | null
  hammingAccuracy: number
  microF1: number
  macroF1: number
  mAP: number
  fp: number
  fn: number
  perLabel: LabelSummary[]
}

/** Turns a split's counts into the panel's metrics, by the formulas the engine stores a run's metrics with. */
export function summarise(labels: readonly string[], counts: SplitCounts, ap: ArrayLike<number>, hasGroups: boolean): SplitMetrics {
  const table = labelTable(labels.length, counts.tp, counts.fp, counts.fn, ap)
  const rows = counts.rows
  return {
    n: rows,
    exactMatch: shareOf(counts.exactThreshold, rows),
    exactMatchGrouped: hasGroups ? shareOf(counts.exactGrouped, rows) : null,
    hammingAccuracy: shareOf(counts.correct, counts.known),
    microF1: table.microF1,
    macroF1: table.macroF1,
    mAP: table.mAP,
    fp: table.fp,
    fn: table.fn,
    perLabel: table.perLabel.map((f, j) => ({ label: labels[j] ?? String(j), ...f })),
  }
}

/**
 * The images of the split whose cell for label `j` is a false positive (decided 1, labelled 0) or a false
 * negative (decided 0, labelled 1): exactly the images the split's fp/fn count for that label counts.
 */
export function errorImages(m: PredictionMatrix, truth: Truth, ev: Evaluation, split: number, j: number, kind: 'fp' | 'fn'): number[] {
  const L = m.labels.length
  const want = kind === 'fp' ? 0 : 1
  const out: number[] = []
  for (let r = 0; r < m.imageIds.length; r++) {
    if (m.source[r] !== split) continue
    const c = r * L + j
    if (truth[c] === want && ev.decisions[c] === 1 - want) out.push(m.imageIds[r] as number)
  }
  return out
}

export interface PrPoint {
  threshold: number
  precision: number
  recall: number
}

/**
 * Precision and recall of label `j` on the split, one point per distinct probability (predicting every row
 * at or above it), thinned to at most `maxPoints`; empty cells left out. Empty when the label has no positive.
 */
export function prCurve(m: PredictionMatrix, truth: Truth, order: Int32Array, j: number, maxPoints = 300): PrPoint[] {
  const L = m.labels.length
  let positives = 0
  for (let i = 0; i < order.length; i++) if (truth[(order[i] as number) * L + j] === 1) positives++
  if (positives === 0) return []
  const all: PrPoint[] = []
  let tp = 0
  let predicted = 0
  for (let i = 0; i < order.length; i++) {
    const c = (order[i] as number) * L + j
    const y = truth[c]
    if (y === -1) continue
    predicted++
    if (y === 1) tp++
    const p = m.probs[c] as number
    const next = order[i + 1]
    // Rows with the same probability fall on the same side of any threshold: one point for all of them.
    if (next !== undefined && m.probs[next * L + j] === p) continue
    all.push({ threshold: p, precision: tp / predicted, recall: tp / positives })
  }
  if (all.length <= maxPoints) return all
  const step = (all.length - 1) / (maxPoints - 1)
  return Array.from({ length: maxPoints }, (_, i) => all[Math.round(i * step)] as PrPoint)
}

/** Precision and recall of label `j` on the split when every row with p >= threshold is predicted. */
export function prAt(m: PredictionMatrix, truth: Truth, order: Int32Array, j: number, threshold: number): PrPoint {
  const L = m.labels.length
  let tp = 0
  let fp = 0
  let fn = 0
  for (let i = 0; i < order.length; i++) {
    const c = (order[i] as number) * L + j
    const y = truth[c]
    if (y === -1) continue
    const d = (m.probs[c] as number) >= threshold
    if (d && y === 1) tp++
    else if (d) fp++
    else if (y === 1) fn++
  }
  // A point on the curve, not a metric: with nothing predicted the curve starts at precision 1 (recall 0).
  return { threshold, precision: tp + fp === 0 ? 1 : precisionOf(tp, fp), recall: recallOf(tp, fn) }
}
