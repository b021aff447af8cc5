// The service's dataset health request. The near-duplicate search compares every pair of images
// (about a second at 11k on two cores), so the report is built as a job (job:progress, cancel,
// job:ended) and the search runs in a child process; the label figures are counted here.
import type { RequestName, Requests } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { datasetHealth, NearDuplicateMemo } from '../health/dataset-health.ts'
import type { JobTable } from '../jobs/job-table.ts'
import { runJob } from '../jobs/run-job.ts'
import { requireOpen } from './open-project.ts'

type HealthRequest = Extract<RequestName, `health:${string}`>
export type HealthHandlers = {
  [K in HealthRequest]: (input: Requests[K]['in'], origin: string | undefined) => Promise<Requests[K]['out']>
}

export interface HealthServiceOptions {
  jobs: JobTable
  /** The project open in the service, if any. */
  project: () => Project | null
}

export class HealthService {
  readonly #options: HealthServiceOptions
  /** Asking again after label edits or split changes reuses the last search. */
  readonly #memo = new NearDuplicateMemo()

  constructor(options: HealthServiceOptions) {
    this.#options = options
  }

  readonly handlers: HealthHandlers = {
    'health:get': async ({ similarity, runId }, origin) => {
      const project = requireOpen(this.#options.project())
      const { done } = this.#options.jobs.run(
        'health',
        (job) =>
          datasetHealth(project, {
            similarity,
            runId,
            memo: this.#memo,
            signal: job.signal,
            onProgress: job.report,
            searcher: (request, opts) => runJob('near-duplicates', { ...request, dbFile: project.file }, opts),
          }),
        origin,
      )
      return done
    },
  }
}
