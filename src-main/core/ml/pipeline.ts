import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import { parseSource } from '../dataset/csv-source.ts'
import { readCsvFile } from '../dataset/csv-file.ts'
import { TagsmithError } from '../errors.ts'
import { runJob, type JobProgress } from '../jobs/run-job.ts'
import type { ExtractJobInput, ExtractJobResult } from '../jobs/kinds/extract.ts'
import type { TrainJobInput, TrainJobResult } from '../jobs/kinds/train.ts'
import { initBackend } from './backend.ts'
import { resolveBackbone, type BackboneSpec } from './backbones/catalog.ts'
import { backboneKey, cacheKeyOf } from './backbones/load.ts'
import { groupIndices } from './decode.ts'
import { prepVersion, type ExtractImage } from './extract.ts'
import { cachedHashes, loadFeatureMatrix } from './feature-cache.ts'
import { extractInParallel } from './extract-parallel.ts'
import { chooseEngine } from './backbones/engine-choice.ts'
import type { EngineName } from './onnx/engines.ts'
import { predictProbabilities } from './head.ts'
import { labelMatrix, selectRows } from './label-matrix.ts'
import { computeMetrics, type Metrics } from './metrics.ts'
import { DEFAULT_FOLDS, predictionRows } from './predict-all.ts'
import { rowRoles } from './row-roles.ts'
import { putPredictions } from './run-predictions.ts'
import { decodingGroups } from './label-groups.ts'
import { getRun, insertRun, type NewRun, type RunBackbone } from './runs.ts'
import { DEFAULT_TRAIN_CONFIG, type EpochEvent, type TrainConfig } from './train.ts'

// From a project to a stored run, and from a run to metrics: the heavy steps run as child-process jobs.

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

export interface TrainOutcome {
  runId: number
  backend: string
  device: string
  /** the engine that extracted features (the one chosen, when every feature was cached) */
  engine: EngineName
  backbone: string
  timings: { extractSeconds: number; trainSeconds: number }
  extraction: { total: number; cached: number; computed: number; skipped: ExtractJobResult['skipped'] }
  rows: { train: number; val: number; valSource: 'val' | 'holdout' }
  history: EpochEvent[]
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

function runBackbone(spec: BackboneSpec, key: string): RunBackbone {
  return {
    id: spec.id,
    key,
    name: spec.name,
    source: spec.source,
    featureLayers: spec.featureLayers,
    ...(spec.folder ? { folder: spec.folder } : {}),
    inputSize: spec.inputSize,
    normalisation: { mean: [...spec.normalisation.mean], std: [...spec.normalisation.std] },
    prep: prepVersion(spec),
  }
}

function extractable(project: Project, rows: readonly ImageRecord[]): ExtractImage[] {
  const out: ExtractImage[] = []
  for (const r of rows) {
    if (r.status !== 'ok' || !r.hash) continue
    const absPath = project.imagePath(r.id)
    if (absPath) out.push({ id: r.id, absPath, hash: r.hash })
  }
  return out
}

function projectGroups(project: Project, labels: readonly string[]): string[][] | null {
  const groups = project.getSetting<string[][]>('groups')
  if (!groups || groups.length === 0) return null
  groupIndices(labels, groups) // throws on a stale label name
  return groups
}

type Extraction = Pick<ExtractJobResult, 'key' | 'prep' | 'total' | 'cached' | 'computed' | 'skipped' | 'engine'>

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

export interface EvaluateOptions {
  runId?: number
  /** evaluate the project's rows of this split (default 'val', or 'test' when asked) */
  split?: 'train' | 'val' | 'test'
  /** evaluate the images and labels of this CSV instead (paths relative to its folder) */
  csv?: string
  /** groups to decode by argmax; default: the project's declared groups, else the run's */
  groups?: string[][]
  cacheDir?: string
  onProgress?: (p: JobProgress) => void
  signal?: AbortSignal
}

interface EvalRow {
  id: number
  absPath: string
  hash: string
  labels: Array<0 | 1 | null>
}

function sha256File(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  } catch {
    return null
  }
}

/** Rows of an outside CSV, with labels reordered to the run's label order. */
function csvRows(file: string, runLabels: readonly string[], project: Project): EvalRow[] {
  const parsed = parseSource(file, readCsvFile(file))
  const column = runLabels.map((l) => parsed.labels.indexOf(l))
  const absent = runLabels.filter((_, i) => column[i] === -1)
  if (absent.length === runLabels.length) throw new TagsmithError('BAD_INPUT', `${parsed.name} has none of the run's labels (${runLabels.join(', ')})`)
  const dir = path.dirname(path.resolve(file))
  return parsed.rows.flatMap((r, i) => {
    const candidates = [path.resolve(dir, r.path), path.resolve(project.imagesDir, r.path)]
    const absPath = candidates.find((p) => fs.existsSync(p)) ?? (candidates[0] as string)
    const hash = sha256File(absPath)
    if (!hash) return []
    return [{ id: -(i + 1), absPath, hash, labels: column.map((c) => (c === -1 ? null : (r.values[c] ?? null))) }]
  })
}

/**
 * Metrics of a stored run on a split of the project or on an outside CSV. Images without cached
 * features are extracted first (child process). Training rows are refused: a run is never scored on
 * what it was trained on.
 */
export interface Evaluation extends Metrics {
  runId: number
  /** images without features that could not be scored */
  skipped: number
  /** the run's thresholds used, in its label order */
  thresholds: number[]
  /** the groups decoded by their most probable label ([] when none) */
  groups: string[][]
}

export async function evaluateProject(project: Project, opts: EvaluateOptions = {}): Promise<Evaluation> {
  const run = getRun(project.db, opts.runId)
  const split = opts.split ?? 'val'
  if (!opts.csv && split === 'train') throw new TagsmithError('BAD_INPUT', 'a run is not evaluated on its training rows: choose --split val or test, or --csv')
  let rows: EvalRow[]
  if (opts.csv) {
    rows = csvRows(opts.csv, run.labels, project)
  } else {
    const projectLabels = project.labels()
    const order = run.labels.map((l) => projectLabels.indexOf(l))
    rows = project.images().flatMap((r) => {
      if (r.split !== split || r.status !== 'ok' || !r.hash) return []
      const absPath = project.imagePath(r.id)
      if (!absPath) return []
      return [{ id: r.id, absPath, hash: r.hash, labels: order.map((j) => (j === -1 ? null : (r.labels[j] ?? null))) }]
    })
  }
  if (rows.length === 0) throw new TagsmithError('BAD_INPUT', opts.csv ? `no readable images in ${opts.csv}` : `the project has no readable ${split} images`)

  let features = loadFeatureMatrix(project.db, run.backbone.key, run.backbone.prep, rows.map((r) => r.hash))
  if (features.missing.size > 0) {
    // Recompute with the run's own backbone and cut; a model folder changed since then gives another
    // cache key, and its rows stay missing (reported as skipped) rather than mixing two models.
    const spec = resolveBackbone(run.backbone.folder ?? run.backbone.id, { layers: run.backbone.featureLayers })
    if (spec.source !== 'folder' && backboneKey(spec) !== run.backbone.key) {
      throw new TagsmithError('CONFLICT', `backbone ${run.backbone.id} changed since run ${run.id}`)
    }
    const missing = [...features.missing].map((i) => rows[i] as EvalRow)
    const engine = await chooseEngine(spec)
    const input: ExtractJobInput = { dbFile: project.file, spec, images: missing.map((r) => ({ id: r.id, absPath: r.absPath, hash: r.hash })), cacheDir: opts.cacheDir, engine }
    await extractInParallel(input, { onProgress: opts.onProgress, signal: opts.signal })
    features = loadFeatureMatrix(project.db, run.backbone.key, run.backbone.prep, rows.map((r) => r.hash))
  }
  const keep = rows.map((_, i) => i).filter((i) => !features.missing.has(i))
  const dim = features.dim
  const x = new Float32Array(keep.length * dim)
  keep.forEach((i, k) => x.set(features.x.subarray(i * dim, (i + 1) * dim), k * dim))
  await initBackend()
  const probs = predictProbabilities(run.head, x, keep.length)
  const truth = labelMatrix(
    keep.map((i) => (rows[i] as EvalRow).labels),
    run.labels.length,
  )
  const groups = opts.groups ?? decodingGroups(project, run)
  const thresholds = run.thresholds ?? run.labels.map(() => 0.5)
  const metrics = computeMetrics(probs, truth, run.labels, {
    thresholds,
    groups: groups.length > 0 ? groupIndices(run.labels, groups) : undefined,
  })
  return { ...metrics, runId: run.id, skipped: rows.length - keep.length, thresholds, groups }
}
