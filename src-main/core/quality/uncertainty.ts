import { logit } from './scoring.ts'

// The uncertainty queue's order: images with empty cells first (nothing to learn from until someone
// labels them), then the closest call to a threshold in logits, where one look changes the most.

export interface ClosestCall {
  label: number
  probability: number
  threshold: number
  /** |logit(p) - logit(threshold)| */
  margin: number
}

/** The label of one image whose probability sits closest to its threshold, in logits. */
export function closestCall(probs: ArrayLike<number>, offset: number, thresholds: readonly number[]): ClosestCall | null {
  let best: ClosestCall | null = null
  for (let j = 0; j < thresholds.length; j++) {
    const probability = probs[offset + j] ?? 0
    const threshold = thresholds[j] ?? 0.5
    const margin = Math.abs(logit(probability) - logit(threshold))
    if (!best || margin < best.margin) best = { label: j, probability, threshold, margin }
  }
  return best
}

export interface UncertainCandidate {
  imageId: number
  emptyCells: number
  call: ClosestCall | null
}

/**
 * Empty cells first (more of them first), then the smallest margin; images without probabilities come
 * after those with them among equals; ties by image id.
 */
export function orderUncertain<T extends UncertainCandidate>(items: readonly T[]): T[] {
  const margin = (c: UncertainCandidate): number => c.call?.margin ?? Number.POSITIVE_INFINITY
  return [...items].sort(
    (a, b) =>
      Number(b.emptyCells > 0) - Number(a.emptyCells > 0) ||
      b.emptyCells - a.emptyCells ||
      margin(a) - margin(b) ||
      a.imageId - b.imageId,
  )
}
