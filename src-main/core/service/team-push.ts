// What a team server stores in its working copy besides labels — runs, label reviews, uncertainty
// confirmations — sent on to the shared store, so they outlive the copy (made again at each start) and a
// server started later sees them. A run takes the id the database gives it, here too. A push that fails
// (the database away) fails nothing the user sees: it is logged, and a run is sent again before the next
// run, or when the server stops.
import type { Project } from '../dataset/project.ts'
import { renumberRuns } from '../ml/renumber-runs.ts'
import type { SharedStore } from '../store/project-store.ts'

export interface TeamPushOptions {
  store: SharedStore
  /** The working copy open in the service. */
  project: () => Project | null
  log?: (line: string) => void
}

const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err))

export class TeamPush {
  readonly #options: TeamPushOptions
  /** Runs stored here that have not reached the shared store yet, by their id here. */
  #pending: number[] = []
  /** Pushes run one after another, so a review never overtakes the run it names. */
  #queue: Promise<unknown> = Promise.resolve()

  constructor(options: TeamPushOptions) {
    this.#options = options
  }

  /** Runs not in the shared store yet, by their id here. */
  get pending(): readonly number[] {
    return this.#pending
  }

  /**
   * Sends a run just stored here (with any run still waiting) to the shared store and renumbers it here to
   * the id the store gave it; answers that id, or the id here when the store could not be reached.
   */
  runStored(id: number): Promise<number> {
    return this.#enqueue(async () => (await this.#pushRuns([...this.#pending.filter((p) => p !== id), id])).get(id) ?? id)
  }

  /** Sends the runs still waiting, once (the server's last step); logs those that stay behind. */
  flush(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#pending.length === 0) return
      await this.#pushRuns(this.#pending, 'they are lost when this server restarts')
    })
  }

  /** Sends the review of a pair just stored here; one under a run still waiting goes with that run. */
  reviewStored(imageId: number, labelId: number): Promise<void> {
    return this.#enqueue(async () => {
      const project = this.#options.project()
      const row = project?.db.prepare('SELECT * FROM label_reviews WHERE image_id = ? AND label_id = ?').get(imageId, labelId) as Record<string, unknown> | undefined
      if (!row || this.#waiting(row.run_id)) return
      await this.#options.store.putReview(row).catch((err: unknown) => {
        this.#log(`the review of image ${imageId} (label ${labelId}) was not stored in ${this.#options.store.location}: ${reason(err)}`)
      })
    })
  }

  /** Sends a confirmation just stored here; one under a run still waiting goes with that run. */
  confirmationStored(imageId: number, runId: number): Promise<void> {
    return this.#enqueue(async () => {
      const project = this.#options.project()
      const row = project?.db.prepare('SELECT * FROM uncertain_confirmations WHERE image_id = ? AND run_id = ?').get(imageId, runId) as Record<string, unknown> | undefined
      if (!row || this.#waiting(runId)) return
      await this.#options.store.putConfirmation(row).catch((err: unknown) => {
        this.#log(`the confirmation of image ${imageId} under run ${runId} was not stored in ${this.#options.store.location}: ${reason(err)}`)
      })
    })
  }

  /** Pushes `ids` in one transaction and renumbers them here; on failure they wait (and the failure is logged). */
  async #pushRuns(ids: number[], otherwise = 'trying again at the next training or when the server stops'): Promise<Map<number, number>> {
    const project = this.#options.project()
    if (!project) return new Map()
    const here = ids.filter((id) => project.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id) !== undefined)
    let stored: Map<number, number>
    try {
      stored = await this.#options.store.pushRuns(project.db, here)
    } catch (err) {
      this.#pending = here
      const runs = here.length === 1 ? `run ${here[0]} was` : `runs ${here.join(', ')} were`
      this.#log(`${runs} not stored in ${this.#options.store.location} (${reason(err)}); ${otherwise}`)
      return new Map()
    }
    // In the store now: never sent again, even if this copy cannot follow.
    this.#pending = []
    try {
      renumberRuns(project.db, stored)
      return stored
    } catch (err) {
      const ids = [...stored].map(([from, to]) => `${from} as ${to}`).join(', ')
      this.#log(`runs stored in ${this.#options.store.location} (${ids}) keep their old ids in ${project.file}: ${reason(err)}`)
      return new Map()
    }
  }

  #waiting(runId: unknown): boolean {
    return typeof runId === 'number' && this.#pending.includes(runId)
  }

  #log(line: string): void {
    this.#options.log?.(`tagsmith serve: ${line}`)
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work)
    this.#queue = next.catch(() => undefined)
    return next
  }
}
