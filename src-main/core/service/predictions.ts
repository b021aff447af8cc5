// The service's prediction, threshold and model-export requests. Probabilities are computed in child
// processes (with the run when it is trained, or here on first ask for a run stored without them); the
// service reads them from the project and answers.
import type { Predictions, RequestName } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import { exportModel } from '../jobs/export-model.ts'
import { decodingGroups } from '../ml/label-groups.ts'
import { getPredictions } from '../ml/run-predictions.ts'
import { setThresholds, tuneRunThresholds } from '../ml/run-thresholds.ts'
import { getRun } from '../ml/runs.ts'
import { ensurePredictions } from './ensure-predictions.ts'
import type { HandlerTable } from './handler-table.ts'
import type { JobTable } from '../jobs/job-table.ts'
import { requireOpen } from './open-project.ts'

type PredictionRequest = Extract<RequestName, 'predict:get' | 'thresholds:set' | 'thresholds:tune' | 'model:export'>

export interface PredictionServiceOptions {
  jobs: JobTable
  /** the app's version, written into exported models */
  version: () => string
  /** where download-once backbones are kept (default: the platform's cache folder) */
  cacheDir?: string
  /** The project open in the service, if any. */
  project: () => Project | null
}

export class PredictionService {
  readonly #options: PredictionServiceOptions

  constructor(options: PredictionServiceOptions) {
    this.#options = options
  }

  readonly handlers: HandlerTable<PredictionRequest> = {
    'predict:get': async ({ runId }, origin) => this.#predictions(runId, origin),
    'thresholds:set': async ({ runId, thresholds }) => ({ thresholds: setThresholds(this.#requireProject(), runId, thresholds) }),
    'thresholds:tune': async (input, origin) => {
      const project = this.#requireProject()
      await ensurePredictions(this.#options.jobs, project, input.runId, origin)
      const target = input.target === 'f1' ? { target: 'f1' as const } : { target: 'precision' as const, precision: input.precision }
      return { thresholds: tuneRunThresholds(project, input.runId, target) }
    },
    'model:export': async ({ runId, outDir }, origin) => {
      const project = this.#requireProject()
      const { done } = this.#options.jobs.run(
        'export-model',
        (ctx) =>
          exportModel(project, {
            runId,
            outDir,
            appVersion: this.#options.version(),
            cacheDir: this.#options.cacheDir,
            signal: ctx.signal,
            onProgress: (p) => ctx.report(p),
          }),
        origin,
      )
      return done
    },
  }

  async #predictions(runId: number | undefined, origin: string | undefined): Promise<Predictions> {
    const project = this.#requireProject()
    const id = getRun(project.db, runId).id
    await ensurePredictions(this.#options.jobs, project, id, origin)
    // Read again after the job: the run may have been tuned or deleted meanwhile.
    const run = getRun(project.db, id)
    const stored = getPredictions(project.db, run.id, run.labels.length)
    if (!stored) throw new TagsmithError('NOT_FOUND', `run ${run.id} has no predictions`)
    return {
      runId: run.id,
      labels: [...run.labels],
      imageIds: stored.imageIds,
      probs: Array.from(stored.probs),
      source: stored.source,
      thresholds: run.thresholds ?? run.labels.map(() => 0.5),
      tuned: run.tunedThresholds,
      groups: decodingGroups(project, run),
    }
  }

  #requireProject(): Project {
    return requireOpen(this.#options.project())
  }
}
