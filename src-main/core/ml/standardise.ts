// Features are standardised with statistics of the training rows only; the same statistics travel with
// the run and are applied to validation, test and new images.

export interface Standardisation {
  mean: Float32Array
  /** 1 / std, with constant features given scale 1 so they map to 0 instead of infinity */
  scale: Float32Array
}

/** Mean and 1/std per column over the given rows of a row-major matrix (rows x dim). */
export function fitStandardisation(x: Float32Array, dim: number, rowIndices: ArrayLike<number>): Standardisation {
  const n = rowIndices.length
  const sum = new Float64Array(dim)
  const sumSq = new Float64Array(dim)
  for (let r = 0; r < n; r++) {
    const base = (rowIndices[r] as number) * dim
    for (let d = 0; d < dim; d++) {
      const v = x[base + d] as number
      sum[d] = (sum[d] as number) + v
      sumSq[d] = (sumSq[d] as number) + v * v
    }
  }
  const mean = new Float32Array(dim)
  const scale = new Float32Array(dim)
  for (let d = 0; d < dim; d++) {
    const m = n > 0 ? (sum[d] as number) / n : 0
    const variance = n > 0 ? Math.max(0, (sumSq[d] as number) / n - m * m) : 0
    const std = Math.sqrt(variance)
    mean[d] = m
    scale[d] = std > 1e-6 ? 1 / std : 1
  }
  return { mean, scale }
}

/** Returns a new row-major matrix of the selected rows, standardised. */
export function applyStandardisation(x: Float32Array, dim: number, rowIndices: ArrayLike<number>, s: Standardisation): Float32Array {
  const n = rowIndices.length
  const out = new Float32Array(n * dim)
  for (let r = 0; r < n; r++) {
    const src = (rowIndices[r] as number) * dim
    const dst = r * dim
    for (let d = 0; d < dim; d++) {
      out[dst + d] = ((x[src + d] as number) - (s.mean[d] as number)) * (s.scale[d] as number)
    }
  }
  return out
}
