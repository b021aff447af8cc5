import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import { specOfStored } from '../ml/backbones/presets.ts'
import { featureKeyOf } from '../ml/feature-parts.ts'
import { chooseEngine } from '../ml/backbones/engine-choice.ts'
import { evaluationRows, scoreRun, type EvalRow, type EvaluateOptions, type Evaluation } from '../ml/evaluate-run.ts'
import { loadFeatureMatrix } from '../ml/feature-cache.ts'
import { getRun } from '../ml/runs.ts'
import { extractInParallel } from './extract-parallel.ts'
import type { ExtractJobInput } from './kinds/extract.ts'
import type { JobCounts } from './run-job.ts'

export type { Evaluation } from '../ml/evaluate-run.ts'

/**
 * Metrics of a stored run on a split of the project or on an outside CSV. Images without cached
 * features are extracted first (child processes). Training rows are refused: a run is never scored on
 * what it was trained on.
 */
export async function evaluateProject(
  project: Project,
  opts: EvaluateOptions & { cacheDir?: string; onProgress?: (p: JobCounts) => void; signal?: AbortSignal } = {},
): Promise<Evaluation> {
  const run = getRun(project.db, opts.runId)
  const rows = evaluationRows(project, run, opts)
  const features = loadFeatureMatrix(project.db, run.backbone.key, run.backbone.prep, rows.map((r) => r.hash))
  if (features.missing.size > 0) {
    // Recompute with the run's own backbone and cut; a model folder changed since then gives another
    // cache key, and its rows stay missing (reported as skipped) rather than mixing two models.
    const spec = specOfStored(run.backbone)
    if (spec.source !== 'folder' && featureKeyOf(spec) !== run.backbone.key) {
      throw new TagsmithError('CONFLICT', `backbone ${run.backbone.id} changed since run ${run.id}`)
    }
    const missing = [...features.missing].map((i) => rows[i] as EvalRow)
    const engine = await chooseEngine(spec)
    const input: ExtractJobInput = { dbFile: project.file, spec, images: missing.map((r) => ({ id: r.id, absPath: r.absPath, hash: r.hash })), cacheDir: opts.cacheDir, engine }
    await extractInParallel(input, { onProgress: opts.onProgress, signal: opts.signal })
  }
  return scoreRun(project, run, rows, opts.groups)
}
