// Child-process job: read cached features, train the head, send back weights, history and validation
// probabilities. The parent stores the run.
import { openDatabase } from '../../db/open.ts'
import { initBackend, type BackendInfo } from '../../ml/backend.ts'
import { loadFeatureMatrix } from '../../ml/feature-cache.ts'
import { labelMatrix } from '../../ml/label-matrix.ts'
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
}

export type TrainJobResult = TrainResult & { backend: BackendInfo; seconds: number }

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
  const result = await trainHead(
    { x: features.x, dim: features.dim, labels: labelMatrix(input.labels, input.numLabels), trainRows: input.trainRows, valRows: input.valRows },
    input.config,
    { signal: ctx.signal, onEpoch: (e) => ctx.emit('epoch', e) },
  )
  return { ...result, backend, seconds: (performance.now() - started) / 1000 }
}
