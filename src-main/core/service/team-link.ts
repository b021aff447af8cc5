// A team server's link to its shared store. The service keeps working on a project file — the server's
// working copy of the database, holding features, runs and thumbnails next to it — while every label and
// split edit is committed in the shared store first (which checks it, logs it with its author and decides
// per-user undo) and then copied here as committed. Other servers' commits arrive as change notices and are
// read back the same way, so every grid hears the stored value within a notice's latency. Reads and
// copies go through one queue, in order, so a later read of a cell is never overwritten by an earlier one.
import type { Events } from '../../../src-preload/contract.ts'
import { applyCommittedRows } from '../dataset/committed-rows.ts'
import { osAccountName } from '../dataset/edit-authors.ts'
import type { Project } from '../dataset/project.ts'
import type { LabelSetEdit } from '../dataset/label-set.ts'
import type { EditGroup, LabelChange, Split } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import type { ChangeWatch, StoreChange } from '../store/pg-changes.ts'
import type { SharedStore, UndoState } from '../store/project-store.ts'
import { tokenHash, wellFormedToken } from '../store/users.ts'
import type { Emitter } from './emitter.ts'
import { TeamPush } from './team-push.ts'
import { toImageRow } from './rows.ts'

export interface TeamLinkOptions {
  store: SharedStore
  /** The working copy open in the service. */
  project: () => Project | null
  changed: Emitter<Events['labels:changed']>
  /** Called after rows of the working copy changed, so kept copies of them are dropped. */
  rowsChanged: () => void
  /** Told when the shared store is lost and back (a line for the server's log). */
  log?: (line: string) => void
  /**
   * Makes the working copy again from the store and reopens it: after a structural step (the label set,
   * the rows) anywhere, which copying rows cannot follow.
   */
  remake: () => Promise<void>
  /** Whether a job works on the working copy now (a remake waits for it: the job holds the file). */
  busy: () => boolean
}

/** How often a remake waiting for a job looks again. */
const BUSY_RETRY_MS = 1000

/** How often the users are read again, besides on every notice (covers notices lost while reconnecting). */
const USERS_EVERY_MS = 2000

export class TeamLink {
  readonly #options: TeamLinkOptions
  #queue: Promise<unknown> = Promise.resolve()
  #users = new Map<string, string>()
  #watch: ChangeWatch | null = null
  #usersTimer: NodeJS.Timeout | null = null
  #closed = false
  /** Runs, reviews and confirmations stored in the working copy, sent on to the shared store. */
  readonly push: TeamPush

  private constructor(options: TeamLinkOptions) {
    this.#options = options
    this.push = new TeamPush({ store: options.store, project: options.project, log: options.log })
  }

  /** Reads the users, starts listening, and catches the working copy up with the store. */
  static async start(options: TeamLinkOptions): Promise<TeamLink> {
    const link = new TeamLink(options)
    await link.#readUsers()
    link.#watch = await options.store.watch({
      change: (change) => link.#heard(change),
      resync: () => {
        options.log?.(`tagsmith serve: back in touch with ${options.store.location}; catching up`)
        void link.catchUp().catch(() => undefined)
        void link.#readUsers().catch(() => undefined)
      },
      lost: (reason) => options.log?.(`tagsmith serve: ${reason} (${options.store.location}); reconnecting`),
    })
    link.#usersTimer = setInterval(() => void link.#readUsers().catch(() => undefined), USERS_EVERY_MS)
    link.#usersTimer.unref()
    await link.catchUp()
    return link
  }

  get location(): string {
    return this.#options.store.location
  }

  /** The author of a request's steps: the team member, else whoever started the server. */
  author(user: string | undefined): string {
    return user ?? osAccountName()
  }

  async setLabels(changes: LabelChange[], user: string | undefined): Promise<EditGroup> {
    return this.#copied(await this.#options.store.setLabels(changes, this.author(user)))
  }

  async undo(user: string | undefined): Promise<EditGroup | null> {
    const group = await this.#options.store.undo(this.author(user))
    return group ? this.#applied(group) : null
  }

  async redo(user: string | undefined): Promise<EditGroup | null> {
    const group = await this.#options.store.redo(this.author(user))
    return group ? this.#applied(group) : null
  }

  /** A label-set step, committed in the store (which runs the file engine's step on a copy), then copied whole. */
  async editLabelSet(edit: LabelSetEdit, user: string | undefined): Promise<EditGroup> {
    this.#refuseStructuralWhileBusy()
    return this.#applied(await this.#options.store.editLabelSet(edit, this.author(user)))
  }

  undoState(user: string | undefined): Promise<UndoState> {
    return this.#options.store.undoState(this.author(user))
  }

  async setSplit(imageIds: number[], split: Split, user: string | undefined): Promise<void> {
    await this.#options.store.setSplit(imageIds, split, this.author(user))
    await this.#pull(imageIds, false)
  }

  /** The shared store's CSVs, with everyone's committed edits, to `outDir` or over the originals. */
  exportCsvs(outDir: string | undefined): Promise<string[]> {
    return this.#options.store.exportCsvs(outDir)
  }

  /** Every row as the store holds it now; rows that differ here are copied and announced. */
  catchUp(): Promise<void> {
    return this.#enqueue(async () => {
      const project = this.#options.project()
      if (!project || this.#closed) return
      const records = await this.#options.store.images()
      this.#announce(project, applyCommittedRows(project, records))
    })
  }

  /** The team member a user token names in the shared store, or null (unknown, removed, malformed). */
  userOfToken(token: string): string | null {
    return wellFormedToken(token) ? (this.#users.get(tokenHash(token)) ?? null) : null
  }

  async close(): Promise<void> {
    this.#closed = true
    if (this.#usersTimer) clearInterval(this.#usersTimer)
    await this.#watch?.close()
    await this.#queue.catch(() => undefined)
    await this.push.flush()
    await this.#options.store.close()
  }

  /** A step answered once it is here: a structural one by making the working copy again, cells by copying them. */
  async #applied(group: EditGroup): Promise<EditGroup> {
    if (group.structure === undefined) return this.#copied(group)
    await this.remake(group.structure)
    return group
  }

  /**
   * A label-set step makes the working copy again, which waits for the jobs that hold it: asked while one
   * runs here, it is refused instead of keeping its caller waiting. (An undo cannot tell first whether its
   * step is structural; one that is waits.)
   */
  #refuseStructuralWhileBusy(): void {
    if (this.#options.busy()) {
      throw new TagsmithError('CONFLICT', 'a job (training, predictions, health) is running on this server; change the label set when it ends')
    }
  }

  /** An answer for the request that made a step: its rows read back from the store and copied here first. */
  async #copied(group: EditGroup): Promise<EditGroup> {
    await this.#pull(
      group.changes.map((c) => c.imageId),
      false,
    )
    return group
  }

  /**
   * Makes the working copy again once no job holds it, and tells every client the project's shape changed
   * (`kind`: the structural step), so they read the labels and rows again.
   */
  remake(kind: string): Promise<void> {
    return this.#enqueue(async () => {
      while (this.#options.busy() && !this.#closed) await new Promise((done) => setTimeout(done, BUSY_RETRY_MS))
      if (this.#closed) return
      await this.#options.remake()
      this.#options.rowsChanged()
      this.#options.changed.emit({ rows: [], structure: kind })
    })
  }

  #heard(change: StoreChange): void {
    if (change.users) void this.#readUsers().catch(() => undefined)
    if (change.origin === this.#options.store.instance || this.#closed) return
    if (change.structure !== undefined) {
      const kind = change.structure
      void this.remake(kind).catch((err: unknown) => this.#options.log?.(`tagsmith serve: could not make the working copy again after ${kind}: ${err instanceof Error ? err.message : String(err)}`))
    } else if (change.all) void this.catchUp().catch(() => undefined)
    else if (change.group !== undefined) {
      const group = change.group
      void this.#enqueue(async () => this.#copy(await this.#options.store.imagesOfGroup(group), true)).catch(() => undefined)
    } else if (change.images) void this.#pull(change.images, true).catch(() => undefined)
  }

  /** Copies the rows of `ids` as the store holds them; `announce`: tell every client (another server's step). */
  #pull(ids: readonly number[], announce: boolean): Promise<void> {
    return this.#enqueue(() => this.#copy(ids, announce))
  }

  async #copy(ids: readonly number[], announce: boolean): Promise<void> {
    const project = this.#options.project()
    if (!project || ids.length === 0) return
    const records = await this.#options.store.imagesByIds([...new Set(ids)])
    const changed = applyCommittedRows(project, records)
    if (announce) this.#announce(project, changed)
    else if (changed.length > 0) this.#options.rowsChanged()
  }

  #announce(project: Project, ids: number[]): void {
    if (ids.length === 0) return
    this.#options.rowsChanged()
    this.#options.changed.emit({ rows: project.imagesByIds(ids).map(toImageRow) })
  }

  #enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work)
    this.#queue = next.catch(() => undefined)
    return next
  }

  async #readUsers(): Promise<void> {
    if (this.#closed) return
    this.#users = await this.#options.store.usersByTokenHash()
  }
}
