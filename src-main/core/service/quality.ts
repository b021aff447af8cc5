// The service's label-error and uncertainty queue requests. A run stored without probabilities gets them
// first, as a job (job:progress, job:ended), as predict:get does.
import type { EditResult, RequestName } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import type { EditGroup, LabelChange } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { getPredictions, type StoredPredictions } from '../ml/run-predictions.ts'
import { getRun, type RunRecord } from '../ml/runs.ts'
import { QueueCache } from '../quality/queue-cache.ts'
import { confirmImage, reviewPair, reviewPairThrough } from '../quality/queues.ts'
import { labelIds } from '../quality/reviews.ts'
import { osAccountName } from '../dataset/edit-authors.ts'
import { ensurePredictions } from './ensure-predictions.ts'
import type { HandlerTable } from './handler-table.ts'
import type { JobTable } from '../jobs/job-table.ts'
import { requireOpen } from './open-project.ts'

type QualityRequest = Extract<RequestName, `quality:${string}`>

export interface QualityServiceOptions {
  jobs: JobTable
  /** The project open in the service, if any. */
  project: () => Project | null
  /** Turns an edit into the answer other windows hear about (labels:changed), as labels:set does. */
  edited: (group: EditGroup, origin: string | undefined, user?: string) => Promise<EditResult>
  /** On a team server: commits label changes in the shared store for `user` (copied here as committed). */
  commitLabels?: () => ((changes: LabelChange[], user: string | undefined) => Promise<EditGroup>) | null
  /** On a team server: sends a review or confirmation just stored here on to the shared store (never fails). */
  share?: () => {
    reviewStored(imageId: number, labelId: number): Promise<void>
    confirmationStored(imageId: number, runId: number): Promise<void>
  } | null
}

export class QualityService {
  readonly #options: QualityServiceOptions
  /** The open project's queues, kept between requests (they follow commits made here or elsewhere). */
  #queues: QueueCache | null = null
  /** The last run's stored probabilities: a run's are written once, when it has none. */
  #predictions: { project: Project; key: string; predictions: StoredPredictions } | null = null

  constructor(options: QualityServiceOptions) {
    this.#options = options
  }

  readonly handlers: HandlerTable<QualityRequest> = {
    'quality:suspects': async ({ runId, limit }, origin) => {
      const { project, run, predictions } = await this.#runWithPredictions(runId, origin)
      return this.#queuesOf(project).suspects(run, predictions, { limit })
    },
    'quality:review': async ({ runId, imageId, label, action }, origin, user) => {
      const { project, run, predictions } = await this.#runWithPredictions(runId, origin)
      const commit = this.#options.commitLabels?.() ?? null
      const outcome = commit
        ? await reviewPairThrough(project, run, predictions, { imageId, label, action, author: user ?? osAccountName() }, (changes) => commit(changes, user))
        : reviewPair(project, run, predictions, { imageId, label, action, author: user })
      await this.#options.share?.()?.reviewStored(imageId, labelIds(project.db).get(label) ?? -1)
      const edit = outcome.group && outcome.group.changes.length > 0 ? await this.#options.edited(outcome.group, origin, user) : null
      return { edit, reviewed: outcome.reviewed, fixed: outcome.fixed }
    },
    'quality:uncertain': async ({ runId, limit }, origin) => {
      const { project, run, predictions } = await this.#runWithPredictions(runId, origin)
      return this.#queuesOf(project).uncertain(run, predictions, { limit })
    },
    'quality:confirm': async ({ runId, imageId }, _origin, user) => {
      const project = this.#requireProject()
      const run = getRun(project.db, runId)
      const outcome = confirmImage(project, run, imageId, user)
      await this.#options.share?.()?.confirmationStored(imageId, run.id)
      return outcome
    },
  }

  /** The run (default: the latest) and its stored probabilities, computed first as a job when it has none. */
  async #runWithPredictions(
    runId: number | undefined,
    origin: string | undefined,
  ): Promise<{ project: Project; run: RunRecord; predictions: StoredPredictions }> {
    const project = this.#requireProject()
    const id = getRun(project.db, runId).id
    await ensurePredictions(this.#options.jobs, project, id, origin)
    // Read after the job: the run may have been tuned or deleted meanwhile.
    const run = getRun(project.db, id)
    const predictions = this.#storedPredictions(project, run)
    if (!predictions) throw new TagsmithError('NOT_FOUND', `run ${run.id} has no predictions`)
    return { project, run, predictions }
  }

  /** Read once per run: the creation time tells a new run from a deleted one whose id came back. */
  #storedPredictions(project: Project, run: RunRecord): StoredPredictions | null {
    const key = JSON.stringify([run.id, run.createdAt, run.labels.length])
    if (this.#predictions?.project === project && this.#predictions.key === key) return this.#predictions.predictions
    const predictions = getPredictions(project.db, run.id, run.labels.length)
    this.#predictions = predictions ? { project, key, predictions } : null
    return predictions
  }

  #queuesOf(project: Project): QueueCache {
    if (this.#queues?.project !== project) this.#queues = new QueueCache(project)
    return this.#queues
  }

  #requireProject(): Project {
    return requireOpen(this.#options.project())
  }
}
