// The service behind the contract. Electron's IPC and web mode's WebSocket are thin transports over
// `handle`, which validates every input with the request's schema, hands it to the domain's handler and
// turns every failure into { code, message }; `subscribe` gives them the events a client should hear.
import { renameSync, rmSync } from 'node:fs'
import type { AppInfo, EventName, Events, Reply, RequestName, Requests } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { projectFileError, sqliteCodeOf } from '../db/errors.ts'
import { TagsmithError, toWireError, type ErrorCode } from '../errors.ts'
import { requireOpen as requireOpenProject } from './open-project.ts'
import { describeIssues, requestSchemas } from '../schemas.ts'
import { isRequestName } from '../../../src-shared/names.ts'
import { appHandlers, type Dialogs } from './app.ts'
import { createEmitters, subscribeClient } from './events.ts'
import type { HandlerTable } from './handler-table.ts'
import { AddService } from './add-images.ts'
import { HealthService } from './health.ts'
import { ImageService } from './images.ts'
import { JobTable } from '../jobs/job-table.ts'
import { LabelService } from './labels.ts'
import { PredictionService } from './predictions.ts'
import { ProjectService } from './project.ts'
import { QualityService } from './quality.ts'
import { SimilarService } from './similar.ts'
import { checkTeamAccess } from './team-access.ts'
import { TeamLink } from './team-link.ts'
import { checkTeamServer } from './team-server.ts'
import type { SharedStore } from '../store/project-store.ts'
import { backfillAfterOpen, ThumbnailBackfill } from './thumbnail-backfill.ts'
import { Training } from './training.ts'
import { TryService } from './try.ts'
import { DEFAULT_THUMBNAIL_SIZE } from '../images/thumbnails.ts'

export type { Dialogs } from './app.ts'

export interface ServiceOptions {
  /** Folder for per-user state (the recent projects list). */
  configDir: string
  mode: AppInfo['mode']
  version: string
  dialogs?: Dialogs
  thumbnailSize?: number
  /** Shows a file in the system's file manager (the desktop shell's; web mode has none). */
  reveal?: (file: string) => void | Promise<void>
  /** Fill an opened project's thumbnail cache in a background job (the app and `tagsmith serve` do). */
  backgroundThumbnails?: boolean
}

export class Service {
  readonly events = createEmitters()
  readonly jobs = new JobTable(this.events['job:progress'], this.events['job:ended'])
  readonly thumbnails: ThumbnailBackfill
  readonly #projects: ProjectService
  readonly #images: ImageService
  readonly #training: Training
  readonly #try: TryService
  readonly #handlers: HandlerTable<RequestName>
  #team: TeamLink | null = null

  constructor(options: ServiceOptions) {
    const { jobs, events } = this
    const project = (): Project | null => this.#projects.current
    const images = new ImageService({ project, thumbnailSize: options.thumbnailSize, reveal: options.reveal })
    const thumbnails = new ThumbnailBackfill({ jobs, size: options.thumbnailSize ?? DEFAULT_THUMBNAIL_SIZE })
    const similar = new SimilarService({ project })
    const projects = new ProjectService({
      jobs,
      configDir: options.configDir,
      switched: () => {
        images.forget()
        similar.forget()
        thumbnails.stop()
      },
    })
    this.thumbnails = thumbnails
    const labels = new LabelService({
      project,
      changed: events['labels:changed'],
      rowsChanged: () => images.forget(),
      structureChanged: () => projects.forgetInfo(),
      team: () => this.#team,
    })
    const training = new Training({
      jobs,
      epoch: events['train:epoch'],
      done: events['train:done'],
      project,
      catchUp: async () => this.#team?.catchUp(),
      stored: async (runId) => (this.#team ? this.#team.push.runStored(runId) : runId),
    })
    this.#projects = projects
    this.#images = images
    this.#training = training
    this.#try = new TryService({ project })
    this.#handlers = {
      ...appHandlers({ info: { version: options.version, mode: options.mode }, jobs, dialogs: options.dialogs, team: () => this.#team }),
      ...projects.handlers,
      ...(options.backgroundThumbnails ? backfillAfterOpen(projects.handlers, thumbnails, project) : {}),
      ...images.handlers,
      ...labels.handlers,
      ...training.handlers,
      ...new PredictionService({ jobs, version: () => options.version, project }).handlers,
      ...new QualityService({
        jobs,
        project,
        edited: (group, origin, user) => labels.editedAnywhere(group, origin, user),
        commitLabels: () => {
          const team = this.#team
          return team ? (changes, user) => team.setLabels(changes, user) : null
        },
        share: () => this.#team?.push ?? null,
      }).handlers,
      ...new HealthService({ jobs, project }).handlers,
      ...this.#try.handlers,
      ...similar.handlers,
      ...new AddService({ jobs, project, labels, changed: events['labels:changed'], rowsChanged: () => images.forget() }).handlers,
    }
    const exportHere = this.#handlers['dataset:export']
    // A team server exports the shared store's labels, as committed, from the CSVs as read.
    this.#handlers['dataset:export'] = async (input, origin, user) => {
      const team = this.#team
      if (!team) return exportHere(input, origin, user)
      const files = await team.exportCsvs(input.outDir)
      await team.catchUp()
      return { files, summary: requireOpenProject(this.project).changesSinceImport() }
    }
    this.#rowsChanged = () => images.forget()
  }

  readonly #rowsChanged: () => void

  /**
   * Makes this a team server: the open project becomes the working copy of `store` (a copy of the same
   * project), label and split edits are committed there first, and other servers' commits are copied in.
   */
  async attachTeam(store: SharedStore, log?: (line: string) => void): Promise<void> {
    requireOpenProject(this.project)
    this.#team = await TeamLink.start({
      store,
      project: () => this.project,
      changed: this.events['labels:changed'],
      rowsChanged: () => this.#rowsChanged(),
      log,
      remake: async () => {
        const next = `${requireOpenProject(this.project).file}.next`
        await store.copyToFile(next)
        this.#projects.reopen((file) => {
          for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true })
          renameSync(next, file)
        })
      },
      // Thumbnails read image files, not the working copy; every other job may hold it.
      busy: () => this.jobs.runningExcept(['thumbnails']) > 0,
    })
  }

  /** The team store's user a token names, or null; only on a team server. */
  userOfTeamToken(token: string): string | null {
    return this.#team?.userOfToken(token) ?? null
  }

  get team(): TeamLink | null {
    return this.#team
  }

  /** Stops listening to the team store and closes it (a team server's last step). */
  async detachTeam(): Promise<void> {
    const team = this.#team
    this.#team = null
    await team?.close()
  }

  /**
   * The single entry point for transports: unknown names and inputs that fail the request's schema
   * answer BAD_INPUT; nothing thrown inside leaves as anything but { code, message }. `user` is the team
   * member a web client acts for (the author of its edits); unset, the service's own user.
   */
  async handle(name: unknown, input: unknown, origin?: string, user?: string): Promise<Reply> {
    try {
      if (!isRequestName(name)) {
        throw new TagsmithError('BAD_INPUT', `unknown request ${describeName(name)}`)
      }
      checkTeamAccess(name, user)
      if (this.#team) checkTeamServer(name, this.#team.location)
      const parsed = requestSchemas[name].safeParse(input)
      if (!parsed.success) {
        throw new TagsmithError('BAD_INPUT', `${name}: ${describeIssues(parsed.error)}`)
      }
      const handler = this.#handlers[name] as (input: unknown, origin: string | undefined, user: string | undefined) => Promise<unknown>
      return { ok: true, result: await handler(parsed.data, origin, user) }
    } catch (err) {
      // An SQLite failure not otherwise handled (disk full, damaged page) is about the open project.
      const file = this.project?.file
      return { ok: false, error: toWireError(file && sqliteCodeOf(err) ? projectFileError(err, file) : err) }
    }
  }

  /** Typed call for in-process callers (menus, tests); throws TagsmithError instead of replying. */
  async request<K extends RequestName>(name: K, input: Requests[K]['in'], origin?: string): Promise<Requests[K]['out']> {
    const reply = await this.handle(name, input, origin)
    if (!reply.ok) throw new TagsmithError(asErrorCode(reply.error.code), reply.error.message)
    return reply.result as Requests[K]['out']
  }

  /**
   * An event stream as one client (a window, a web connection) should hear it: every event, except the
   * labels:changed of the client's own edits, whose rows it already has from the reply.
   */
  subscribe<E extends EventName>(name: E, client: string, listener: (payload: Events[E]) => void): () => void {
    return subscribeClient(this.events, name, client, listener)
  }

  /** The file to send for an image: its cached thumbnail (made on first use) or the original. */
  async imageFile(imageId: number, kind: 'thumb' | 'full'): Promise<string> {
    return (await this.imageSource(imageId, kind)).file
  }

  /** The file to send for an image and the `hash8` its address must carry to be cached for good. */
  imageSource(imageId: number, kind: 'thumb' | 'full'): Promise<{ file: string; hash8: string | null }> {
    return this.#images.imageSource(imageId, kind)
  }

  get project(): Project | null {
    return this.#projects.current
  }

  close(): void {
    this.jobs.cancelAll()
    this.#training.close()
    this.#try.close()
    this.#projects.close()
  }
}

function describeName(name: unknown): string {
  if (typeof name === 'string') return JSON.stringify(name.slice(0, 100))
  return `(${name === null ? 'null' : typeof name})`
}

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>(['BAD_INPUT', 'NOT_FOUND', 'TOO_NEW', 'CONFLICT', 'CANCELLED', 'UNAVAILABLE', 'INTERNAL'])

function asErrorCode(code: string): ErrorCode {
  return ERROR_CODES.has(code) ? (code as ErrorCode) : 'INTERNAL'
}
