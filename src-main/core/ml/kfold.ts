import { makeRng, shuffleInPlace } from '../../../src-shared/rng.ts'

// Folds for out-of-sample predictions on training rows: each row is held out by exactly one fold.

export interface Fold {
  /** rows this fold's head trains on */
  train: number[]
  /** rows it predicts: none of them is in `train` */
  held: number[]
}

/**
 * `k` folds over `rows`, shuffled with `seed` and dealt in turn, so fold sizes differ by at most one.
 * Fewer rows than k gives one fold per row.
 */
export function kFolds(rows: readonly number[], k: number, seed: number): Fold[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k-fold needs k >= 2, got ${k}`)
  const folds = Math.min(k, rows.length)
  const order = shuffleInPlace([...rows], makeRng(seed ^ 0x6b666f6c))
  const held: number[][] = Array.from({ length: folds }, () => [])
  order.forEach((row, i) => (held[i % folds] as number[]).push(row))
  return held.map((h, f) => {
    h.sort((a, b) => a - b)
    const train = held.flatMap((other, g) => (g === f ? [] : other)).sort((a, b) => a - b)
    return { train, held: h }
  })
}
