import type { Project } from '../dataset/project.ts'
import { computeRunPredictions } from '../jobs/compute-predictions.ts'
import { hasPredictions } from '../ml/run-predictions.ts'
import { getRun } from '../ml/runs.ts'
import type { JobTable } from '../jobs/job-table.ts'

/**
 * A run stored without probabilities gets them first, as a 'predict' job (job:progress, job:ended):
 * every request that reads a run's probabilities goes through here.
 */
export async function ensurePredictions(jobs: JobTable, project: Project, runId: number, origin: string | undefined): Promise<void> {
  const run = getRun(project.db, runId)
  if (hasPredictions(project.db, run.id)) return
  const { done } = jobs.run(
    'predict',
    (ctx) => computeRunPredictions(project, run, { signal: ctx.signal, onProgress: (p) => ctx.report(p) }),
    origin,
  )
  await done
}
