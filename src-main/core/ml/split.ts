import type { LabelMatrix } from './label-matrix.ts'
import { makeRng, shuffleInPlace } from '../../../src-shared/rng.ts'

/**
 * A stratified holdout of `fraction` of the given rows, for validation when a dataset has no val split.
 * Rows are stratified by their label pattern (rare patterns pooled), so every common combination is
 * represented on both sides.
 */
export function stratifiedHoldout(
  labels: LabelMatrix,
  rowIndices: readonly number[],
  fraction: number,
  seed: number,
): { train: number[]; val: number[] } {
  const rng = makeRng(seed)
  const byPattern = new Map<string, number[]>()
  for (const r of rowIndices) {
    let key = ''
    for (let j = 0; j < labels.cols; j++) key += labels.mask[r * labels.cols + j] === 1 ? String(labels.values[r * labels.cols + j]) : '?'
    const bucket = byPattern.get(key) ?? []
    bucket.push(r)
    byPattern.set(key, bucket)
  }
  const train: number[] = []
  const val: number[] = []
  const rare: number[] = []
  for (const bucket of byPattern.values()) {
    if (bucket.length < 2) {
      rare.push(...bucket)
      continue
    }
    shuffleInPlace(bucket, rng)
    const k = Math.round(bucket.length * fraction)
    val.push(...bucket.slice(0, k))
    train.push(...bucket.slice(k))
  }
  shuffleInPlace(rare, rng)
  const k = Math.round(rare.length * fraction)
  val.push(...rare.slice(0, k))
  train.push(...rare.slice(k))
  train.sort((a, b) => a - b)
  val.sort((a, b) => a - b)
  return { train, val }
}
