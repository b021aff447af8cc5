import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import { labelMatrix } from './label-matrix.ts'
import { getPredictions } from './run-predictions.ts'
import { getRun, setRunThresholds } from './runs.ts'
import { tuneForPrecision, tuneThresholds } from './thresholds.ts'

// A run's current thresholds: set by hand (a slider) or tuned on the rows it validated on. Evaluation,
// predictions and the exported model use the current ones.

export type TuneTarget = { target: 'f1' } | { target: 'precision'; precision: number }

/** Makes `thresholds` (one per label, in the run's order, each in [0, 1]) a run's current ones. */
export function setThresholds(project: Project, runId: number, thresholds: readonly number[]): number[] {
  const run = getRun(project.db, runId)
  if (thresholds.length !== run.labels.length) {
    throw new TagsmithError('BAD_INPUT', `run ${runId} has ${run.labels.length} labels; got ${thresholds.length} thresholds`)
  }
  const bad = thresholds.findIndex((t) => !(t >= 0 && t <= 1))
  if (bad !== -1) throw new TagsmithError('BAD_INPUT', `threshold for ${run.labels[bad]} must be from 0 to 1, got ${thresholds[bad]}`)
  setRunThresholds(project.db, runId, thresholds)
  return [...thresholds]
}

/**
 * Tunes a run's thresholds on its validation rows' stored probabilities against their labels as they
 * are now, makes them current and records them as tuned. A label without a positive validation row
 * keeps its current threshold. A run stored without probabilities gets them first (a child process,
 * see jobs/compute-predictions.ts).
 */
export function tuneRunThresholds(project: Project, runId: number, target: TuneTarget): number[] {
  const run = getRun(project.db, runId)
  const stored = getPredictions(project.db, run.id, run.labels.length)
  if (!stored) throw new TagsmithError('NOT_FOUND', `run ${runId} has no stored probabilities to tune thresholds on`)
  const cols = run.labels.length
  const rowsById = new Map(project.imagesByIds(stored.imageIds).map((r) => [r.id, r]))
  const projectLabels = project.labels()
  const order = run.labels.map((l) => projectLabels.indexOf(l))
  const probs: number[] = []
  const truth: Array<Array<0 | 1 | null>> = []
  stored.imageIds.forEach((id, i) => {
    const row = rowsById.get(id)
    if (stored.source[i] !== 'val' || !row) return
    for (let j = 0; j < cols; j++) probs.push(stored.probs[i * cols + j] as number)
    truth.push(order.map((k) => (k === -1 ? null : (row.labels[k] ?? null))))
  })
  if (truth.length === 0) throw new TagsmithError('BAD_INPUT', `run ${runId} has no validation rows to tune thresholds on`)
  const p = Float32Array.from(probs)
  const m = labelMatrix(truth, cols)
  const current = run.thresholds ?? run.labels.map(() => 0.5)
  const tuned = target.target === 'f1' ? tuneThresholds(p, m, current) : tuneForPrecision(p, m, target.precision, current)
  const out = Array.from(tuned)
  setRunThresholds(project.db, runId, out, { tuned: true })
  return out
}
