import type { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { resolveBackbone, type BackboneSpec } from '../ml/backbones/catalog.ts'
import { chooseEngine } from '../ml/backbones/engine-choice.ts'
import { cacheKeyOf } from '../ml/backbones/load.ts'
import { groupIndices } from '../ml/decode.ts'
import { prepVersion, type ExtractImage } from '../ml/extract.ts'
import { cachedHashes } from '../ml/feature-cache.ts'
import { selectRows } from '../ml/label-matrix.ts'
import { computeMetrics } from '../ml/metrics.ts'
import type { EngineName } from '../ml/onnx/engines.ts'
import { DEFAULT_FOLDS, predictionRows } from '../ml/predict-all.ts'
import { rowRoles } from '../ml/row-roles.ts'
import { putPredictions } from '../ml/run-predictions.ts'
import { insertRun, type NewRun } from '../ml/runs.ts'
import { DEFAULT_TRAIN_CONFIG, type EpochEvent, type TrainConfig } from '../ml/train.ts'
import { extractable, labelSnapshot, projectGroups, runBackbone, type Extraction, type TrainOutcome } from '../ml/train-run.ts'
import { extractInParallel } from './extract-parallel.ts'
import type { ExtractJobInput } from './kinds/extract.ts'
import type { TrainJobInput, TrainJobResult } from './kinds/train.ts'
import { runJob, type JobProgress } from './run-job.ts'

// From a project to a stored run: the heavy steps run as child-process jobs.

export type { TrainOutcome } from '../ml/train-run.ts'

export interface TrainProjectOptions {
  /** the rows (with labels) as they were when training was asked for; default: read them now */
  rows?: readonly ImageRecord[]
  /** catalog id or model folder; default: the catalog's default */
  backbone?: string
  layers?: string[]
  config?: Partial<TrainConfig>
  /** where download-once backbones are cached */
  cacheDir?: string
  extractBatchSize?: number
  /** extraction processes (default: one with ONNX Runtime, else one per core, up to 4) */
  extractWorkers?: number
  /** feature extraction engine: onnx, tfjs-node, wasm or cpu (default: TAGSMITH_ENGINE, else the fastest available) */
  engine?: string
  /** share of train held out for validation when the project has no val rows */
  holdout?: number
  /** k of the k-fold scoring training rows out of sample (default 5); 0: store no predictions */
  folds?: number
  onProgress?: (p: JobProgress) => void
  onEpoch?: (e: EpochEvent) => void
  signal?: AbortSignal
}

/**
 * Features for every image, computing only what the cache lacks. When nothing is missing (a retrain
 * after label edits) no process is started and no model is loaded.
 */
async function extractMissing(
  project: Project,
  spec: BackboneSpec,
  images: ExtractImage[],
  engine: EngineName,
  opts: Pick<TrainProjectOptions, 'extractBatchSize' | 'cacheDir' | 'onProgress' | 'signal' | 'extractWorkers'>,
): Promise<Extraction> {
  const key = cacheKeyOf(spec)
  const prep = prepVersion(spec)
  const distinct = new Set(images.map((i) => i.hash))
  const have = cachedHashes(project.db, key, prep, distinct)
  if (have.size === distinct.size) {
    opts.onProgress?.({ phase: 'extract', done: distinct.size, total: distinct.size, rate: 0, etaSeconds: 0 })
    return { key, prep, total: distinct.size, cached: have.size, computed: 0, skipped: [], engine }
  }
  const input: ExtractJobInput = { dbFile: project.file, spec, images, batchSize: opts.extractBatchSize, cacheDir: opts.cacheDir, engine }
  const result = await extractInParallel(input, { workers: opts.extractWorkers, onProgress: opts.onProgress, signal: opts.signal })
  if (result.key !== key) throw new TagsmithError('CONFLICT', `backbone ${spec.id} changed while features were extracted`)
  return result
}

/**
 * Train a run on a project: snapshot the labels, extract missing features (child process), train the
 * head on 'train' rows and validate on 'val' rows (or a stratified holdout of train), store the run.
 * Label edits made meanwhile do not affect this run.
 */
export async function trainProject(project: Project, opts: TrainProjectOptions = {}): Promise<TrainOutcome> {
  const labels = project.labels()
  const rows = opts.rows ?? project.images()
  const snapshot = labelSnapshot(labels, rows)
  const spec = resolveBackbone(opts.backbone, { layers: opts.layers })
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...opts.config }
  const engine = await chooseEngine(spec, opts.engine)

  const extractStarted = performance.now()
  const images = extractable(project, rows)
  const extracted = await extractMissing(project, spec, images, engine, opts)
  const extractSeconds = (performance.now() - extractStarted) / 1000

  // Rows that can take part: images with features (skipped images drop out).
  const skipped = new Set(extracted.skipped.map((s) => s.hash))
  const roles = rowRoles(rows, labels.length, { holdout: opts.holdout ?? 0.2, seed: config.seed, hasFeatures: (hash) => !skipped.has(hash) })
  const { usable, labels: matrix, trainRows, valRows: valIdx, valSource } = roles
  if (trainRows.length === 0) throw new TagsmithError('BAD_INPUT', 'no training images with readable files: mark some rows as train')

  const trainStarted = performance.now()
  const trainInput: TrainJobInput = {
    dbFile: project.file,
    key: extracted.key,
    prep: extracted.prep,
    hashes: usable.map((r) => r.hash ?? ''),
    labels: usable.map((r) => r.labels),
    numLabels: labels.length,
    trainRows,
    valRows: valIdx,
    config,
    folds: opts.folds ?? DEFAULT_FOLDS,
  }
  const trained = await runJob<TrainJobResult>('train', trainInput, {
    signal: opts.signal,
    onProgress: opts.onProgress,
    onEvent: (name, data) => {
      if (name === 'epoch') opts.onEpoch?.(data as EpochEvent)
    },
  })
  // The k-fold heads that score training rows are timed on their own (predictions.seconds).
  const trainSeconds = (performance.now() - trainStarted) / 1000 - trained.predictSeconds

  const groups = projectGroups(project, labels)
  const metrics = computeMetrics(trained.valProbs, selectRows(matrix, valIdx), labels, {
    groups: groups ? groupIndices(labels, groups) : undefined,
  })
  const timings = { extractSeconds, trainSeconds }
  const backbone = runBackbone(spec, extracted.key)
  const newRun: NewRun = {
    config,
    backbone,
    labels,
    labelSnapshot: snapshot,
    history: trained.history,
    metrics,
    thresholds: labels.map(() => 0.5),
    groups,
    backend: trained.backend.backend,
    head: trained.head,
    timings,
  }
  // The run and its predictions land together: a run is never seen without the predictions it was stored with.
  const runId = project.db.transaction(() => {
    const id = insertRun(project.db, newRun)
    if (trained.predictions) putPredictions(project.db, id, labels.length, predictionRows(usable, trained.predictions, labels.length))
    return id
  })()
  return {
    runId,
    backend: trained.backend.backend,
    device: trained.backend.device,
    engine: extracted.engine,
    backbone: backbone.key,
    timings,
    extraction: { total: extracted.total, cached: extracted.cached, computed: extracted.computed, skipped: extracted.skipped },
    rows: { train: trainRows.length, val: valIdx.length, valSource },
    history: trained.history,
    metrics,
    predictions: { rows: trained.predictions ? trained.predictions.source.filter((s) => s !== null).length : 0, seconds: trained.predictSeconds },
  }
}
