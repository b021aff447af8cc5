import crypto from 'node:crypto'
import type { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { initBackend } from './backend.ts'
import type { BackboneSpec } from './backbones/catalog.ts'
import { resolveChoice } from './backbones/presets.ts'
import { groupIndices } from './decode.ts'
import { prepVersion, type ExtractImage, type ExtractReport } from './extract.ts'
import { loadFeatureMatrix } from './feature-cache.ts'
import { projectGroupNames } from './label-groups.ts'
import { selectRows } from './label-matrix.ts'
import { computeMetrics, type Metrics } from './metrics.ts'
import type { EngineName } from './onnx/engines.ts'
import { DEFAULT_FOLDS, predictAll, predictionRows, type PredictProgress } from './predict-all.ts'
import { rowRoles } from './row-roles.ts'
import { putPredictions } from './run-predictions.ts'
import { insertRun, type NewRun, type RunBackbone } from './runs.ts'
import { DEFAULT_TRAIN_CONFIG, trainHead, type EpochEvent, type TrainConfig } from './train.ts'

// A training run once its features are cached: the label snapshot, the rows it trains and validates on,
// the head trained in this process, every row scored, and the run stored with its predictions.

/** Features of a run's images, and how they were obtained. */
export type Extraction = Pick<ExtractReport, 'key' | 'prep' | 'total' | 'cached' | 'computed' | 'skipped'> & {
  /** the engine that extracted features (the one chosen, when every feature was cached) */
  engine: EngineName
}

export interface TrainOutcome {
  runId: number
  backend: string
  device: string
  /** the engine that extracted features (the one chosen, when every feature was cached) */
  engine: EngineName
  backbone: string
  timings: { extractSeconds: number; trainSeconds: number }
  extraction: { total: number; cached: number; computed: number; skipped: Extraction['skipped'] }
  rows: { train: number; val: number; valSource: 'val' | 'holdout' }
  history: EpochEvent[]
  /** the epoch whose weights the run kept (early stopping); null when it kept the last */
  bestEpoch: number | null
  metrics: Metrics
  /** images whose probabilities were stored with the run, and the time the k-fold heads took */
  predictions: { rows: number; seconds: number }
}

/** The labels a run was trained on, as a hash: a later edit makes the snapshot differ. */
export function labelSnapshot(labels: readonly string[], rows: ReadonlyArray<Pick<ImageRecord, 'id' | 'labels'>>): string {
  const h = crypto.createHash('sha256')
  h.update(JSON.stringify(labels))
  for (const r of rows) h.update(`${r.id}:${r.labels.map((v) => (v === null ? '-' : String(v))).join('')}\n`)
  return h.digest('hex')
}

export function runBackbone(spec: BackboneSpec, key: string, preset: string | null = null): RunBackbone {
  return {
    ...(preset ? { preset } : {}),
    id: spec.id,
    key,
    name: spec.name,
    source: spec.source,
    featureLayers: spec.featureLayers,
    ...(spec.folder ? { folder: spec.folder } : {}),
    inputSize: spec.inputSize,
    normalisation: { mean: [...spec.normalisation.mean], std: [...spec.normalisation.std] },
    prep: prepVersion(spec),
    ...(spec.colour ? { colour: spec.colour } : {}),
    ...(spec.also && spec.also.length > 0 ? { also: spec.also.map((a) => ({ id: a.id, name: a.name, featureLayers: [...a.featureLayers], inputSize: a.inputSize })) } : {}),
  }
}

/** The readable images of `rows`, as extraction takes them. */
export function extractable(project: Project, rows: readonly ImageRecord[]): ExtractImage[] {
  const out: ExtractImage[] = []
  for (const r of rows) {
    if (r.status !== 'ok' || !r.hash) continue
    const absPath = project.imagePath(r.id)
    if (absPath) out.push({ id: r.id, absPath, hash: r.hash })
  }
  return out
}

/** The project's declared label groups, checked against its labels; null when none. */
export function projectGroups(project: Project, labels: readonly string[]): string[][] | null {
  const groups = project.getSetting<string[][]>('groups')
  if (!groups || groups.length === 0) return null
  groupIndices(labels, groups) // throws on a stale label name
  return groups
}

/** What a run is asked to be, fixed before any work starts. */
export interface TrainPlan {
  labels: string[]
  /** the rows (with labels) as they were when training was asked for */
  rows: readonly ImageRecord[]
  snapshot: string
  spec: BackboneSpec
  /** the preset the features and head defaults come from; null for a plain backbone */
  preset: string | null
  config: TrainConfig
}

export function planRun(
  project: Project,
  rows: readonly ImageRecord[],
  opts: { preset?: string; backbone?: string; layers?: string[]; config?: Partial<TrainConfig> } = {},
): TrainPlan {
  const labels = project.labels()
  const choice = resolveChoice(opts)
  return {
    labels,
    rows,
    snapshot: labelSnapshot(labels, rows),
    spec: choice.spec,
    preset: choice.preset?.id ?? null,
    // The preset's head settings sit between the engine's defaults and what the user set.
    config: { ...DEFAULT_TRAIN_CONFIG, ...choice.head, ...opts.config },
  }
}

export interface TrainAndStoreOptions {
  /** share of train held out for validation when the project has no val rows */
  holdout?: number
  /** k of the k-fold scoring training rows out of sample (default 5); 0: store no predictions */
  folds?: number
  signal?: AbortSignal
  onEpoch?: (e: EpochEvent) => void
  onProgress?: (p: PredictProgress) => void
  /** who the run is recorded for (none: no author) */
  author?: string
}

/**
 * Trains the head on the 'train' rows and validates on 'val' rows (or a stratified holdout of train),
 * scores every row (out of fold for training rows) and stores the run with its predictions.
 */
export async function trainAndStore(project: Project, plan: TrainPlan, extracted: Extraction, extractSeconds: number, opts: TrainAndStoreOptions = {}): Promise<TrainOutcome> {
  const { labels, config } = plan
  // Rows that can take part: images with features (skipped images drop out).
  const skipped = new Set(extracted.skipped.map((s) => s.hash))
  const roles = rowRoles(plan.rows, labels.length, { holdout: opts.holdout ?? 0.2, seed: config.seed, hasFeatures: (hash) => !skipped.has(hash) })
  const { usable, labels: matrix, trainRows, valRows, valSource } = roles
  if (trainRows.length === 0) throw new TagsmithError('BAD_INPUT', 'no training images with readable files: mark some rows as train')

  const trainStarted = performance.now()
  const backend = await initBackend()
  const features = loadFeatureMatrix(project.db, extracted.key, extracted.prep, usable.map((r) => r.hash ?? ''))
  if (features.missing.size > 0) {
    throw new TagsmithError('INTERNAL', `${features.missing.size} training images have no cached features for ${extracted.key}`)
  }
  const { x, dim } = features
  const trained = await trainHead({ x, dim, labels: matrix, trainRows, valRows }, config, { signal: opts.signal, onEpoch: opts.onEpoch })
  // The k-fold heads that score training rows are timed on their own (predictions.seconds).
  const trainSeconds = (performance.now() - trainStarted) / 1000
  const predictStarted = performance.now()
  const folds = opts.folds ?? DEFAULT_FOLDS
  const predictions =
    folds > 0
      ? await predictAll(
          { x, dim, labels: matrix, trainRows, valRows, head: trained.head, config, bestEpoch: trained.bestEpoch, folds },
          { signal: opts.signal, onProgress: opts.onProgress },
        )
      : null
  const predictSeconds = (performance.now() - predictStarted) / 1000

  const groups = projectGroups(project, labels)
  const metrics = computeMetrics(trained.valProbs, selectRows(matrix, valRows), labels, { groups: groups ? groupIndices(labels, groups) : undefined })
  const timings = { extractSeconds, trainSeconds }
  const backbone = runBackbone(plan.spec, extracted.key, plan.preset)
  const newRun: NewRun = {
    config,
    backbone,
    labels,
    labelSnapshot: plan.snapshot,
    history: trained.history,
    bestEpoch: trained.bestEpoch,
    metrics,
    thresholds: labels.map(() => 0.5),
    groups,
    groupNames: groups ? projectGroupNames(project) : null,
    backend: backend.backend,
    head: trained.head,
    timings,
    author: opts.author ?? null,
  }
  // The run and its predictions land together: a run is never seen without the predictions it was stored with.
  const runId = project.db.transaction(() => {
    const id = insertRun(project.db, newRun)
    if (predictions) putPredictions(project.db, id, labels.length, predictionRows(usable, predictions, labels.length))
    return id
  })()
  return {
    runId,
    backend: backend.backend,
    device: backend.device,
    engine: extracted.engine,
    backbone: backbone.key,
    timings,
    extraction: { total: extracted.total, cached: extracted.cached, computed: extracted.computed, skipped: extracted.skipped },
    rows: { train: trainRows.length, val: valRows.length, valSource },
    history: trained.history,
    bestEpoch: trained.bestEpoch,
    metrics,
    predictions: { rows: predictions ? predictions.source.filter((s) => s !== null).length : 0, seconds: predictSeconds },
  }
}
