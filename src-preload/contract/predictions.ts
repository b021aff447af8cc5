// A run's probabilities, its thresholds and exported models.

/**
 * How a row's probability was obtained. 'oof': a training row, scored by a head trained (k-fold) on the
 * other folds only; 'val': a row the run validated on (the val split, or the holdout of train when there
 * is none); 'test': a test-split row; 'unlabelled': a row with every label empty, which taught the head
 * nothing. All but 'oof' are scored by the run's final head.
 */
export type PredictionSource = 'oof' | 'val' | 'test' | 'unlabelled'

/** A run's probabilities for every image that has features, with the decisions' settings. */
export interface Predictions {
  runId: number
  /** the run's label order (the columns of `probs`) */
  labels: string[]
  imageIds: number[]
  /** row-major: imageIds.length x labels.length */
  probs: number[]
  /** one per row of `probs` */
  source: PredictionSource[]
  /** the run's current per-label thresholds */
  thresholds: number[]
  /** the thresholds last tuned on validation rows, or null if never tuned */
  tuned: number[] | null
  /** groups decoded by their most probable label (the project's declared groups) */
  groups: string[][]
}

/** 'f1': per label, the threshold that maximises F1 on the validation rows; 'precision': the lowest
 *  threshold whose precision reaches `precision` (most recall), or the best precision reachable. */
export type ThresholdTarget = { runId: number; target: 'f1' } | { runId: number; target: 'precision'; precision: number }

export interface ModelExport {
  /** the folder written */
  out: string
  /** file names inside `out` */
  files: string[]
  /** largest difference between the reloaded model's probabilities and the app's on sample images */
  maxAbsDiff: number
  /** the same classifier as one ONNX file in `out`, checked the same way; null when not written */
  onnx: { file: string; maxAbsDiff: number } | null
}
