import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import { cachedHashes } from '../ml/feature-cache.ts'
import { DEFAULT_FOLDS, predictionRows } from '../ml/predict-all.ts'
import { rowRoles } from '../ml/row-roles.ts'
import { getPredictions, putPredictions, type StoredPredictions } from '../ml/run-predictions.ts'
import type { RunRecord } from '../ml/runs.ts'
import type { PredictJobInput } from './kinds/predict.ts'
import { runJob, type JobCounts } from './run-job.ts'

// A run's stored predictions, computed first (child process) for a run stored without them. Training
// stores them itself; this path serves runs from before that, scoring rows as the project holds them now.

export interface RunPredictOptions {
  onProgress?: (p: JobCounts) => void
  signal?: AbortSignal
}

/** The project's labels in the run's label order (a label the run lacks is dropped, one the project lacks is empty). */
function inRunOrder(project: Project, run: RunRecord): (labels: ReadonlyArray<0 | 1 | null>) => Array<0 | 1 | null> {
  const projectLabels = project.labels()
  const order = run.labels.map((l) => projectLabels.indexOf(l))
  return (labels) => order.map((j) => (j === -1 ? null : (labels[j] ?? null)))
}

export async function computeRunPredictions(project: Project, run: RunRecord, opts: RunPredictOptions = {}): Promise<StoredPredictions> {
  const reorder = inRunOrder(project, run)
  const rows = project.images().map((r) => ({ ...r, labels: reorder(r.labels) }))
  const hashes = rows.flatMap((r) => (r.status === 'ok' && r.hash ? [r.hash] : []))
  const have = cachedHashes(project.db, run.backbone.key, run.backbone.prep, hashes)
  const roles = rowRoles(rows, run.labels.length, { holdout: 0.2, seed: run.config.seed, hasFeatures: (h) => have.has(h) })
  if (roles.usable.length === 0) throw new TagsmithError('NOT_FOUND', `no image of this project has features for run ${run.id}'s backbone`)
  const input: PredictJobInput = {
    dbFile: project.file,
    key: run.backbone.key,
    prep: run.backbone.prep,
    hashes: roles.usable.map((r) => r.hash ?? ''),
    labels: roles.usable.map((r) => r.labels),
    numLabels: run.labels.length,
    trainRows: roles.trainRows,
    valRows: roles.valRows,
    head: run.head,
    config: run.config,
    bestEpoch: run.bestEpoch,
    folds: DEFAULT_FOLDS,
  }
  const result = await runJob('predict', input, { onProgress: opts.onProgress, signal: opts.signal })
  putPredictions(project.db, run.id, run.labels.length, predictionRows(roles.usable, result, run.labels.length))
  const stored = getPredictions(project.db, run.id, run.labels.length)
  if (!stored) throw new TagsmithError('INTERNAL', `run ${run.id}: predictions were not stored`)
  return stored
}

/** Stored predictions of a run, computing them first when it has none. */
export async function runPredictions(project: Project, run: RunRecord, opts: RunPredictOptions = {}): Promise<StoredPredictions> {
  return getPredictions(project.db, run.id, run.labels.length) ?? (await computeRunPredictions(project, run, opts))
}
