// Child-process job: score every row of a stored run (out-of-fold for its training rows) from cached
// features, for a run stored without predictions. The parent stores them.
import { openDatabase } from '../../db/open.ts'
import { TagsmithError } from '../../errors.ts'
import { initBackend } from '../../ml/backend.ts'
import { loadFeatureMatrix } from '../../ml/feature-cache.ts'
import type { HeadWeights } from '../../ml/head.ts'
import { labelMatrix } from '../../ml/label-matrix.ts'
import { predictAll, type AllPredictions } from '../../ml/predict-all.ts'
import type { TrainConfig } from '../../ml/train.ts'
import type { JobContext } from '../protocol.ts'

export interface PredictJobInput {
  dbFile: string
  key: string
  prep: number
  /** one content hash per row; rows index into labels */
  hashes: string[]
  labels: Array<Array<0 | 1 | null>>
  numLabels: number
  trainRows: number[]
  valRows: number[]
  head: HeadWeights
  config: TrainConfig
  /** the epoch the run's head is from; the fold heads train as long */
  bestEpoch: number | null
  folds: number
}

export type PredictJobResult = Omit<AllPredictions, 'folds'>

export async function run(input: PredictJobInput, ctx: JobContext): Promise<PredictJobResult> {
  await initBackend()
  const db = openDatabase(input.dbFile, { readonly: true })
  let features: ReturnType<typeof loadFeatureMatrix>
  try {
    features = loadFeatureMatrix(db, input.key, input.prep, input.hashes)
  } finally {
    db.close()
  }
  if (features.missing.size > 0) throw new TagsmithError('INTERNAL', `${features.missing.size} images have no cached features for ${input.key}`)
  const all = await predictAll(
    {
      x: features.x,
      dim: features.dim,
      labels: labelMatrix(input.labels, input.numLabels),
      trainRows: input.trainRows,
      valRows: input.valRows,
      head: input.head,
      config: input.config,
      bestEpoch: input.bestEpoch,
      folds: input.folds,
    },
    { signal: ctx.signal, onProgress: (p) => ctx.progress(p) },
  )
  return { probs: all.probs, source: all.source }
}
