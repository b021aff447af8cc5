// Which labels an image gets from its probabilities: each label at its threshold, and, when groups are
// decoded, exactly the most probable label of each group (the first in label order on a tie). The same
// rule as the Predictions panel's evaluate() (src-renderer/lib/prediction-metrics.ts); the service decides
// tried images with it, so the app, the CLI and the panel cannot disagree. Imports nothing.

/**
 * Decisions (1 or 0) for `rows` images of `labelCount` labels, row-major like `probs`. `groups` are label
 * indices; a label should be in one group at most. A missing threshold is 0.5.
 */
export function decideLabels(
  probs: ArrayLike<number>,
  rows: number,
  labelCount: number,
  thresholds: ArrayLike<number>,
  groups: readonly (readonly number[])[],
  decodeGroups: boolean,
): Uint8Array {
  const L = labelCount
  const out = new Uint8Array(rows * L)
  const groupOf = new Int32Array(L).fill(-1)
  groups.forEach((g, k) => {
    for (const j of g) if (j >= 0 && j < L) groupOf[j] = k
  })
  const G = decodeGroups ? groups.length : 0
  const best = new Int32Array(G)
  const top = new Float64Array(G)
  for (let r = 0; r < rows; r++) {
    const base = r * L
    best.fill(-1)
    top.fill(-1)
    for (let j = 0; j < L && G > 0; j++) {
      const k = groupOf[j] as number
      const p = probs[base + j] as number
      if (k >= 0 && p > (top[k] as number)) {
        top[k] = p
        best[k] = j
      }
    }
    for (let j = 0; j < L; j++) {
      const k = G > 0 ? (groupOf[j] as number) : -1
      out[base + j] = k >= 0 ? (best[k] === j ? 1 : 0) : (probs[base + j] as number) >= (thresholds[j] ?? 0.5) ? 1 : 0
    }
  }
  return out
}
