// Child-process job: one whole training run. Extracts the features the cache lacks, trains the head,
// scores every row and stores the run, in this one process, so each epoch reaches the parent as one
// message. Loading TF.js and ONNX Runtime here keeps them out of the process serving the UI.
import { Project } from '../../dataset/project.ts'
import type { ImageRecord } from '../../dataset/types.ts'
import { chooseEngine } from '../../ml/backbones/engine-choice.ts'
import type { EpochEvent, TrainConfig } from '../../ml/train.ts'
import { extractable, planRun, trainAndStore, type TrainOutcome } from '../../ml/train-run.ts'
import { extractMissing } from '../extract-missing.ts'
import type { JobContext } from '../protocol.ts'

export interface TrainJobInput {
  projectFile: string
  /** The project's rows as they were when training was asked for: later edits do not reach this run. */
  rows: ImageRecord[]
  /** a preset id; default: the catalog's default preset unless a backbone is named */
  preset?: string
  /** catalog id or model folder, trained on alone (no preset) */
  backbone?: string
  layers?: string[]
  config?: Partial<TrainConfig>
  /** where download-once backbones are cached */
  cacheDir?: string
  /** feature extraction engine: onnx, tfjs, tfjs-node, wasm or cpu (default: TAGSMITH_ENGINE, else the fastest available) */
  engine?: string
  extractBatchSize?: number
  /** extraction processes (default: one with ONNX Runtime, else one per core, up to 4) */
  extractWorkers?: number
  /** share of train held out for validation when the project has no val rows */
  holdout?: number
  /** k of the k-fold scoring training rows out of sample (default 5); 0: store no predictions */
  folds?: number
  /** who the run is recorded for: the user who asked for it */
  author?: string
}

export type TrainJobResult = TrainOutcome

export interface TrainJobEvents {
  /** one per epoch of the head, in order, as it ends */
  epoch: EpochEvent
}

export async function run(input: TrainJobInput, ctx: JobContext<TrainJobEvents>): Promise<TrainJobResult> {
  const project = Project.open(input.projectFile)
  try {
    const plan = planRun(project, input.rows, input)
    const engine = await chooseEngine(plan.spec, input.engine)
    const started = performance.now()
    const extracted = await extractMissing(project.db, project.file, plan.spec, extractable(project, input.rows), engine, {
      batchSize: input.extractBatchSize,
      cacheDir: input.cacheDir,
      workers: input.extractWorkers,
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(p),
    })
    const extractSeconds = (performance.now() - started) / 1000
    return await trainAndStore(project, plan, extracted, extractSeconds, {
      holdout: input.holdout,
      folds: input.folds,
      author: input.author,
      signal: ctx.signal,
      onEpoch: (e) => ctx.emit('epoch', e),
      onProgress: (p) => ctx.progress(p),
    })
  } finally {
    project.close()
  }
}
