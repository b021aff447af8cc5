// The label-error and uncertainty review queues.
import type { EditResult } from './dataset.ts'

/**
 * One (image, label) pair whose stored value the model disagrees with. `score` is the disagreement
 * normalised per label, so pairs of different labels compare: higher is more likely mislabeled.
 */
export interface Suspect {
  imageId: number
  /** the image path as written in the CSV */
  image: string
  label: string
  stored: 0 | 1
  /** the run's out-of-sample probability of the label */
  probability: number
  score: number
}

/** The label-error review queue of a run: images ranked by their worst pair, reviewed ones left out. */
export interface SuspectQueue {
  runId: number
  /** one entry per image, its worst unreviewed pair, most suspect first */
  suspects: Suspect[]
  /** every other unreviewed suspect pair of the same images, by imageId */
  others: Record<number, Suspect[]>
  /** images with a suspect pair when the queue was computed, reviewed ones included */
  total: number
  /** pairs reviewed (accepted or kept) against this run's suspects */
  reviewed: number
  /** pairs whose label was changed to the model's view */
  fixed: number
}

/** 'accept': store the model's view (an undoable edit); 'keep': the stored label is right, do not ask again. */
export type ReviewAction = 'accept' | 'keep'

export interface ReviewResult {
  /** the edit made by 'accept' (null for 'keep') */
  edit: EditResult | null
  reviewed: number
  fixed: number
}

/** An image for the uncertainty queue: unlabelled cells first, then the closest call to a threshold. */
export interface UncertainItem {
  imageId: number
  image: string
  /** labels with an empty cell */
  unlabelled: string[]
  /** the label whose probability sits closest to its threshold (null: no probabilities for the image) */
  label: string | null
  probability: number | null
  threshold: number | null
  /** |logit(p) - logit(threshold)|, 0 for images with empty cells: smaller is less certain */
  margin: number
}

export interface UncertainQueue {
  runId: number
  items: UncertainItem[]
  /** images in the queue before the limit, confirmed ones left out */
  total: number
  /** images confirmed in this queue since the run was trained */
  confirmed: number
}
