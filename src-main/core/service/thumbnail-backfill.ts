// After a project opens, every thumbnail it lacks is made in the background, so a jump anywhere in the
// grid finds its thumbnails ready. A job like the others (job:progress, cancel, job:ended), started only
// when something is missing, in a child process at the lowest CPU priority: the grid's own requests,
// answered in this process, and training or extraction jobs keep the cores they need.
import { resolve } from 'node:path'
import type { Project } from '../dataset/project.ts'
import { missingThumbnails } from '../images/thumbnail-check.ts'
import type { ThumbnailItem } from '../images/thumbnails.ts'
import type { JobTable } from '../jobs/job-table.ts'
import type { HandlerTable } from './handler-table.ts'
import { runJob } from '../jobs/run-job.ts'
import type { ThumbnailsJobResult } from '../jobs/kinds/thumbnails.ts'

export interface ThumbnailBackfillOptions {
  jobs: JobTable
  size: number
  /** images the job makes at once (default: one per core; it only gets the cores' idle time anyway) */
  concurrency?: number
}

/** What one start came to: no job (nothing was missing, or the project closed first), or the job's end. */
export type BackfillOutcome =
  | { started: false; missing: 0 }
  | { started: true; jobId: string; missing: number; result: ThumbnailsJobResult | null; error?: unknown }

export class ThumbnailBackfill {
  readonly #options: ThumbnailBackfillOptions
  #jobId: string | null = null
  #generation = 0
  /** The last start's outcome, for callers that wait (tests, benches). */
  last: Promise<BackfillOutcome> = Promise.resolve({ started: false, missing: 0 })

  constructor(options: ThumbnailBackfillOptions) {
    this.#options = options
  }

  /** Looks for missing thumbnails of the project and starts the job when there are any. */
  start(project: Project, origin?: string): Promise<BackfillOutcome> {
    this.stop()
    const generation = ++this.#generation
    this.last = this.#start(project, generation, origin)
    return this.last
  }

  /** Cancels the running job, if any (another project opens, or this one closes). */
  stop(): void {
    this.#generation++
    const jobId = this.#jobId
    this.#jobId = null
    if (jobId !== null) this.#cancel(jobId)
  }

  /** The running job's id, if any. */
  get jobId(): string | null {
    return this.#jobId
  }

  async #start(project: Project, generation: number, origin: string | undefined): Promise<BackfillOutcome> {
    const cacheDir = `${project.file}.cache`
    const { size, concurrency } = this.#options
    const missing = await missingThumbnails(thumbnailItems(project), cacheDir, size)
    if (missing.length === 0 || generation !== this.#generation) return { started: false, missing: 0 }
    const { jobId, done } = this.#options.jobs.run(
      'thumbnails',
      (job) => runJob('thumbnails', { items: missing, cacheDir, size, concurrency }, { signal: job.signal, onProgress: job.report }),
      origin,
    )
    this.#jobId = jobId
    try {
      return { started: true, jobId, missing: missing.length, result: await done }
    } catch (error) {
      // Cancelled or failed: the table has sent job:ended; the grid still makes each thumbnail on demand.
      return { started: true, jobId, missing: missing.length, result: null, error }
    } finally {
      if (this.#jobId === jobId) this.#jobId = null
    }
  }

  #cancel(jobId: string): void {
    try {
      this.#options.jobs.cancel(jobId)
    } catch {
      // it ended meanwhile
    }
  }
}

type OpenRequest = 'project:open' | 'project:import' | 'project:importFolder'

/** The project requests that open a project, each starting the backfill once it has answered. */
export function backfillAfterOpen(
  handlers: HandlerTable<OpenRequest>,
  backfill: ThumbnailBackfill,
  current: () => Project | null,
): HandlerTable<OpenRequest> {
  const started = (origin: string | undefined): void => {
    const project = current()
    if (project) void backfill.start(project, origin)
  }
  return {
    'project:open': async (input, origin) => {
      const info = await handlers['project:open'](input, origin)
      started(origin)
      return info
    },
    'project:import': async (input, origin) => {
      const imported = await handlers['project:import'](input, origin)
      started(origin)
      return imported
    },
    'project:importFolder': async (input, origin) => {
      const imported = await handlers['project:importFolder'](input, origin)
      started(origin)
      return imported
    },
  }
}

/** The project's readable images, by path and content hash. */
function thumbnailItems(project: Project): ThumbnailItem[] {
  const rows = project.db
    .prepare(
      `SELECT i.id, i.rel, i.hash, s.images_dir AS dir FROM images i JOIN sources s ON s.id = i.source_id
       WHERE i.status = 'ok' AND i.hash IS NOT NULL ORDER BY s.position, i.row_number`,
    )
    .all() as Array<{ id: number; rel: string; hash: string; dir: string }>
  return rows.map((row) => ({ id: row.id, path: resolve(row.dir, row.rel), hash: row.hash }))
}
