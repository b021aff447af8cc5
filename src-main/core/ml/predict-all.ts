import type { PredictionSource } from '../../../src-preload/contract.ts'
import { predictProbabilities, type HeadWeights } from './head.ts'
import { kFolds, type Fold } from './kfold.ts'
import type { LabelMatrix } from './label-matrix.ts'
import { DEFAULT_TRAIN_CONFIG, trainHead, type TrainConfig } from './train.ts'

// Probabilities for every row of a feature matrix. A head scores rows it never trained on: training
// rows get out-of-fold probabilities from k heads trained (same settings, standardisation fitted on each
// fold's own training part) on the other folds; every other row is scored by the run's final head.
// The fold heads have no validation rows to stop on: they train for as many epochs as the final head kept.

export const DEFAULT_FOLDS = 5

export interface PredictAllInput {
  /** raw features, row-major rows x dim */
  x: Float32Array
  dim: number
  labels: LabelMatrix
  /** the rows the final head trained on */
  trainRows: readonly number[]
  /** the rows the run validated on */
  valRows: readonly number[]
  /** the run's final head */
  head: HeadWeights
  config: Partial<TrainConfig>
  /** the epoch the final head's weights are from (early stopping); null or left out: its last */
  bestEpoch?: number | null
  folds?: number
}

export interface AllPredictions {
  /** row-major rows x labels, in the feature matrix's row order */
  probs: Float32Array
  /** null: a row nothing could score out of sample (the only labelled training row); not stored */
  source: Array<PredictionSource | null>
  /** the folds used, in feature matrix rows (for checks) */
  folds: Fold[]
}

export interface PredictProgress {
  phase: 'predict'
  /** epochs of k-fold heads trained */
  done: number
  total: number
}

function hasLabel(labels: LabelMatrix, row: number): boolean {
  for (let j = 0; j < labels.cols; j++) if (labels.mask[row * labels.cols + j] === 1) return true
  return false
}

function selectFeatures(x: Float32Array, dim: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * dim)
  rows.forEach((r, i) => out.set(x.subarray(r * dim, (r + 1) * dim), i * dim))
  return out
}

export async function predictAll(
  input: PredictAllInput,
  opts: { onProgress?: (p: PredictProgress) => void; signal?: AbortSignal } = {},
): Promise<AllPredictions> {
  const { x, dim, labels } = input
  const rows = labels.rows
  const cols = labels.cols
  const asked: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...input.config }
  const config: TrainConfig = { ...asked, epochs: input.bestEpoch ?? asked.epochs, earlyStopping: false }
  const source: Array<PredictionSource | null> = new Array<PredictionSource | null>(rows).fill('test')
  for (const r of input.valRows) source[r] = 'val'
  // A training row with every label empty taught the final head nothing (its loss is masked out).
  const labelled: number[] = []
  for (const r of input.trainRows) {
    if (hasLabel(labels, r)) {
      source[r] = 'oof'
      labelled.push(r)
    }
  }
  for (let r = 0; r < rows; r++) if (!hasLabel(labels, r)) source[r] = 'unlabelled'

  const probs = new Float32Array(rows * cols)
  const byFinal = Array.from({ length: rows }, (_, r) => r).filter((r) => source[r] !== 'oof')
  const finalProbs = predictProbabilities(input.head, selectFeatures(x, dim, byFinal), byFinal.length)
  byFinal.forEach((r, i) => probs.set(finalProbs.subarray(i * cols, (i + 1) * cols), r * cols))

  const folds = labelled.length >= 2 ? kFolds(labelled, input.folds ?? DEFAULT_FOLDS, config.seed) : []
  const total = folds.length * config.epochs
  let done = 0
  opts.onProgress?.({ phase: 'predict', done, total })
  for (const [f, fold] of folds.entries()) {
    const trained = await trainHead(
      { x, dim, labels, trainRows: fold.train, valRows: [] },
      { ...config, seed: config.seed + f + 1 },
      {
        signal: opts.signal,
        onEpoch: () => {
          done++
          opts.onProgress?.({ phase: 'predict', done, total })
        },
      },
    )
    const held = predictProbabilities(trained.head, selectFeatures(x, dim, fold.held), fold.held.length)
    fold.held.forEach((r, i) => probs.set(held.subarray(i * cols, (i + 1) * cols), r * cols))
  }
  // A lone labelled training row has no other rows to learn from: nothing scores it out of sample.
  if (labelled.length === 1) source[labelled[0] as number] = null
  return { probs, source, folds }
}

/** The rows to store: image ids with their probabilities, leaving out rows nothing scored out of sample. */
export function predictionRows(
  images: ReadonlyArray<{ id: number }>,
  all: Pick<AllPredictions, 'probs' | 'source'>,
  cols: number,
): Array<{ imageId: number; probs: Float32Array; source: PredictionSource }> {
  return images.flatMap((image, r) => {
    const source = all.source[r]
    return source ? [{ imageId: image.id, probs: all.probs.slice(r * cols, (r + 1) * cols), source }] : []
  })
}
