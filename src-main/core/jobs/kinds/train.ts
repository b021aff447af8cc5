// Child-process job: read cached features, train the head, then score every row (out-of-fold for
// training rows); send back weights, history, validation probabilities and every row's probabilities.
// The parent stores the run.
import { openDatabase } from '../../db/open.ts'
import { initBackend, type BackendInfo } from '../../ml/backend.ts'
import { loadFeatureMatrix } from '../../ml/feature-cache.ts'
import { labelMatrix } from '../../ml/label-matrix.ts'
import { predictAll, type AllPredictions } from '../../ml/predict-all.ts'
import { trainHead, type TrainConfig, type TrainResult } from '../../ml/train.ts'
import { TagsmithError } from '../../errors.ts'
import type { JobContext } from '../protocol.ts'

export interface TrainJobInput {
  dbFile: string
  key: string
  prep: number
  /** one content hash per row; rows index into labels */
  hashes: string[]
  labels: Array<Array<0 | 1 | null>>
  numLabels: number
  trainRows: number[]
  valRows: number[]
  config: Partial<TrainConfig>
  /** k of the k-fold that scores training rows out of sample; 0 or left out: do not predict */
  folds?: number
}

export type TrainJobResult = TrainResult & {
  backend: BackendInfo
  seconds: number
  /** every row's probabilities (rows as in `hashes`), when asked for */
  predictions: Omit<AllPredictions, 'folds'> | null
  predictSeconds: number
}

export async function run(input: TrainJobInput, ctx: JobContext): Promise<TrainJobResult> {
  const started = performance.now()
  const backend = await initBackend()
  const db = openDatabase(input.dbFile, { readonly: true })
  let features: ReturnType<typeof loadFeatureMatrix>
  try {
    features = loadFeatureMatrix(db, input.key, input.prep, input.hashes)
  } finally {
    db.close()
  }
  if (features.missing.size > 0) {
    throw new TagsmithError('INTERNAL', `${features.missing.size} training images have no cached features for ${input.key}`)
  }
  const labels = labelMatrix(input.labels, input.numLabels)
  const result = await trainHead(
    { x: features.x, dim: features.dim, labels, trainRows: input.trainRows, valRows: input.valRows },
    input.config,
    { signal: ctx.signal, onEpoch: (e) => ctx.emit('epoch', e) },
  )
  const predictStarted = performance.now()
  let predictions: TrainJobResult['predictions'] = null
  if (input.folds !== undefined && input.folds > 0) {
    const all = await predictAll(
      { x: features.x, dim: features.dim, labels, trainRows: input.trainRows, valRows: input.valRows, head: result.head, config: input.config, folds: input.folds },
      { signal: ctx.signal, onProgress: (p) => ctx.progress(p) },
    )
    predictions = { probs: all.probs, source: all.source }
  }
  const predictSeconds = (performance.now() - predictStarted) / 1000
  return { ...result, backend, seconds: (performance.now() - started) / 1000, predictions, predictSeconds }
}
