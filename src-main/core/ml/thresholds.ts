import type { LabelMatrix } from './label-matrix.ts'

/**
 * Per-label thresholds that maximise F1 on the given (validation) rows. Candidate thresholds are the
 * midpoints between consecutive distinct scores; a label with no positives keeps `fallback`.
 */
export function tuneThresholds(probs: Float32Array, truth: LabelMatrix, fallback = 0.5): Float32Array {
  const { rows, cols } = truth
  const out = new Float32Array(cols).fill(fallback)
  for (let j = 0; j < cols; j++) {
    const pairs: Array<[number, number]> = []
    for (let r = 0; r < rows; r++) {
      const k = r * cols + j
      if (truth.mask[k] === 1) pairs.push([probs[k] as number, truth.values[k] as number])
    }
    const positives = pairs.reduce((s, p) => s + p[1], 0)
    if (positives === 0) continue
    pairs.sort((a, b) => b[0] - a[0])
    // Walk down the ranking: predicting the top i+1 rows positive.
    let tp = 0
    let bestF1 = -1
    let best = fallback
    for (let i = 0; i < pairs.length; i++) {
      const [score, y] = pairs[i] as [number, number]
      tp += y
      const next = pairs[i + 1]
      if (next && next[0] === score) continue // ties must fall on the same side
      const fp = i + 1 - tp
      const fn = positives - tp
      const f1 = (2 * tp) / (2 * tp + fp + fn)
      if (f1 > bestF1) {
        bestF1 = f1
        best = next ? (score + next[0]) / 2 : score
      }
    }
    out[j] = best
  }
  return out
}
