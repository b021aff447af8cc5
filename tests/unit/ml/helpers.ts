import { labelMatrix, type LabelMatrix } from '../../../src-main/core/ml/label-matrix.ts'
import { makeRng } from '../../../src-shared/rng.ts'

/**
 * A learnable synthetic multi-label problem: features are noisy mixtures of one prototype per label,
 * so a linear head can fit it. Returns raw features (row-major) and labels.
 */
export function syntheticProblem(rows: number, dim: number, cols: number, seed = 1): { x: Float32Array; labels: LabelMatrix } {
  const rng = makeRng(seed)
  const gauss = (): number => {
    const u = Math.max(rng(), 1e-9)
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
  }
  const prototypes = Array.from({ length: cols }, () => Float32Array.from({ length: dim }, gauss))
  const x = new Float32Array(rows * dim)
  const values: Array<Array<0 | 1>> = []
  for (let r = 0; r < rows; r++) {
    const row: Array<0 | 1> = []
    for (let j = 0; j < cols; j++) row.push(rng() < 0.3 ? 1 : 0)
    values.push(row)
    for (let d = 0; d < dim; d++) {
      let v = 5 + 0.5 * gauss()
      row.forEach((on, j) => {
        if (on) v += (prototypes[j] as Float32Array)[d] as number
      })
      x[r * dim + d] = v
    }
  }
  return { x, labels: labelMatrix(values, cols) }
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i)
