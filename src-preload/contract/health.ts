// Dataset health: counts, rare labels, co-occurrence, group violations, near-duplicates.
import type { Split } from './dataset.ts'

/** A pair of images whose cached features are nearly the same (cosine similarity). */
export interface NearDuplicate {
  a: number
  b: number
  similarity: number
  /** the two sit in different splits: one of them inflates validation or test figures */
  crossSplit: boolean
}

export interface DatasetHealth {
  labels: string[]
  /** positives per label (in label order), image count and images with an empty cell, per split */
  perSplit: Record<Split, { images: number; positives: number[]; emptyCells: number }>
  /** labels with few positives in train, with the pos_weight class weighting would use */
  rare: Array<{ label: string; positives: number; share: number; posWeight: number; reason: string }>
  /** images positive for both labels, label order × label order */
  cooccurrence: number[][]
  /** per declared group, the images where not exactly one of its labels holds */
  groupViolations: Array<{ group: string[]; imageIds: number[] }>
  /** images flagged at import, by status */
  flagged: { missing: number[]; corrupt: number[]; outside: number[] }
  nearDuplicates: {
    threshold: number
    /** the feature cache the similarities come from (a run's backbone), null when none exists yet */
    backbone: string | null
    /** that backbone's name in the catalog (as the Train panel names it), when known */
    features?: string
    /** images without cached features, left out of the search */
    withoutFeatures: number
    pairs: NearDuplicate[]
  }
}
