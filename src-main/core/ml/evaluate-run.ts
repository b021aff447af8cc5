import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { parseSource } from '../dataset/csv-source.ts'
import { readCsvFile } from '../dataset/csv-file.ts'
import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import { initBackend } from './backend.ts'
import { groupIndices } from './decode.ts'
import type { ExtractImage } from './extract.ts'
import { loadFeatureMatrix } from './feature-cache.ts'
import { predictProbabilities } from './head.ts'
import { decodingGroups } from './label-groups.ts'
import { labelMatrix } from './label-matrix.ts'
import { computeMetrics, type Metrics } from './metrics.ts'
import type { RunRecord } from './runs.ts'

// Scoring a stored run on rows it was not trained on: a split of the project, or an outside CSV with
// the same label columns. Extracting features the cache lacks is the caller's part (a child process).

export interface EvaluateOptions {
  runId?: number
  /** evaluate the project's rows of this split (default 'val', or 'test' when asked) */
  split?: 'train' | 'val' | 'test'
  /** evaluate the images and labels of this CSV instead (paths relative to its folder) */
  csv?: string
  /** groups to decode by argmax; default: the project's declared groups, else the run's */
  groups?: string[][]
}

/** An image to score, with its labels in the run's label order. */
export interface EvalRow extends ExtractImage {
  labels: Array<0 | 1 | null>
}

/**
 * Metrics of a stored run on a split of the project or on an outside CSV. Training rows are refused:
 * a run is never scored on what it was trained on.
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

/** The rows an evaluation scores: the split asked for (never train), or the outside CSV's. */
export function evaluationRows(project: Project, run: RunRecord, opts: Pick<EvaluateOptions, 'split' | 'csv'>): EvalRow[] {
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
  return rows
}

/** Scores the run on the rows whose features are cached; the others count as skipped. */
export async function scoreRun(project: Project, run: RunRecord, rows: readonly EvalRow[], groupsAsked?: string[][]): Promise<Evaluation> {
  const features = loadFeatureMatrix(project.db, run.backbone.key, run.backbone.prep, rows.map((r) => r.hash))
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
  const groups = groupsAsked ?? decodingGroups(project, run)
  const thresholds = run.thresholds ?? run.labels.map(() => 0.5)
  const metrics = computeMetrics(probs, truth, run.labels, {
    thresholds,
    groups: groups.length > 0 ? groupIndices(run.labels, groups) : undefined,
  })
  return { ...metrics, runId: run.id, skipped: rows.length - keep.length, thresholds, groups }
}
