import type { LabelMatrix } from './label-matrix.ts'

// Per-label thresholds tuned on validation rows. Candidate thresholds are the midpoints between
// consecutive distinct scores (tied scores fall on the same side); thresholds are doubles, so a
// midpoint of two float32 probabilities stays strictly between them.

/** One way to cut a label's ranking: predict positive every row scoring >= threshold. */
interface Cut {
  threshold: number
  tp: number
  predicted: number
}

/** The known (score, truth) pairs of column j, and their number of positives. */
function column(probs: Float32Array, truth: LabelMatrix, j: number): { pairs: Array<[number, number]>; positives: number } {
  const pairs: Array<[number, number]> = []
  for (let r = 0; r < truth.rows; r++) {
    const k = r * truth.cols + j
    if (truth.mask[k] === 1) pairs.push([probs[k] as number, truth.values[k] as number])
  }
  return { pairs, positives: pairs.reduce((s, p) => s + p[1], 0) }
}

/** Every cut below a group of tied scores, from the top of the ranking down. */
function cuts(pairs: Array<[number, number]>): Cut[] {
  pairs.sort((a, b) => b[0] - a[0])
  const out: Cut[] = []
  let tp = 0
  for (let i = 0; i < pairs.length; i++) {
    const [score, y] = pairs[i] as [number, number]
    tp += y
    const next = pairs[i + 1]
    if (next && next[0] === score) continue
    out.push({ threshold: next ? (score + next[0]) / 2 : score, tp, predicted: i + 1 })
  }
  return out
}

function fallbackOf(fallback: number | ArrayLike<number>, j: number): number {
  return typeof fallback === 'number' ? fallback : (fallback[j] as number)
}

/**
 * Per-label thresholds that maximise F1 on the given (validation) rows. A label with no positives
 * keeps its fallback (a number for all labels, or one per label).
 */
export function tuneThresholds(probs: Float32Array, truth: LabelMatrix, fallback: number | ArrayLike<number> = 0.5): Float64Array {
  const out = new Float64Array(truth.cols)
  for (let j = 0; j < truth.cols; j++) {
    out[j] = fallbackOf(fallback, j)
    const { pairs, positives } = column(probs, truth, j)
    if (positives === 0) continue
    let bestF1 = -1
    for (const c of cuts(pairs)) {
      const f1 = (2 * c.tp) / (c.predicted + positives)
      if (f1 > bestF1) {
        bestF1 = f1
        out[j] = c.threshold
      }
    }
  }
  return out
}

/**
 * Per-label thresholds reaching `precision` on the given rows with the most recall: the lowest cut whose
 * precision is at least `precision`. A label that cannot reach it gets the cut of its best precision
 * (the lowest, among equals); a label with no positives keeps its fallback.
 */
export function tuneForPrecision(probs: Float32Array, truth: LabelMatrix, precision: number, fallback: number | ArrayLike<number> = 0.5): Float64Array {
  const out = new Float64Array(truth.cols)
  for (let j = 0; j < truth.cols; j++) {
    out[j] = fallbackOf(fallback, j)
    const { pairs, positives } = column(probs, truth, j)
    if (positives === 0) continue
    let reached: Cut | null = null
    let best: Cut | null = null
    for (const c of cuts(pairs)) {
      const p = c.tp / c.predicted
      if (p >= precision) reached = c
      if (!best || p >= best.tp / best.predicted) best = c
    }
    out[j] = (reached ?? best ?? { threshold: out[j] as number }).threshold
  }
  return out
}
