// The service behind the contract: one handler per request, one emitter per event. Electron's IPC and
// web mode's WebSocket are thin transports over `handle`, which validates every input with the
// request's schema and turns every failure into { code, message }.
import { statSync } from 'node:fs'
import type {
  AppInfo,
  EventName,
  Events,
  ImageRow,
  ProjectInfo,
  Reply,
  RequestName,
  Requests,
} from '../../../src-preload/contract.ts'
import { Project } from '../dataset/project.ts'
import { projectFileError, sqliteCodeOf } from '../db/errors.ts'
import { TagsmithError, toWireError } from '../errors.ts'
import { thumbnailFor } from '../images/thumbnails.ts'
import { setProjectGroups } from '../ml/label-groups.ts'
import { describeIssues, requestSchemas } from '../schemas.ts'
import { Emitter } from './emitter.ts'
import { JobTable } from './jobs.ts'
import { isRequestName } from '../../../src-shared/names.ts'
import { HealthService } from './health.ts'
import { PredictionService } from './predictions.ts'
import { QualityService } from './quality.ts'
import { requireOpen } from './open-project.ts'
import { RecentProjects } from './recent.ts'
import { toEditResult, toImageRow } from './rows.ts'
import { Training } from './training.ts'

/** Native dialogs, provided by the Electron shell; web mode has none. */
export interface Dialogs {
  openCsv(): Promise<string[]>
  openProject(): Promise<string | null>
  chooseFolder(title?: string): Promise<string | null>
}

export interface ServiceOptions {
  /** Folder for per-user state (the recent projects list). */
  configDir: string
  mode: AppInfo['mode']
  version: string
  dialogs?: Dialogs
  thumbnailSize?: number
}

type Handlers = { [K in RequestName]: (input: Requests[K]['in'], origin: string | undefined) => Promise<Requests[K]['out']> }
type EventEmitters = { [E in EventName]: Emitter<Events[E]> }

const THUMBNAIL_SIZE = 256

export class Service {
  readonly events: EventEmitters = {
    'job:progress': new Emitter(),
    'job:ended': new Emitter(),
    'labels:changed': new Emitter(),
    'app:command': new Emitter(),
    'train:epoch': new Emitter(),
    'train:done': new Emitter(),
  }
  readonly jobs = new JobTable(this.events['job:progress'], this.events['job:ended'])
  readonly #training = new Training({
    jobs: this.jobs,
    progress: this.events['job:progress'],
    epoch: this.events['train:epoch'],
    done: this.events['train:done'],
    project: () => this.#project,
  })
  readonly #predictions = new PredictionService({ jobs: this.jobs, version: () => this.#options.version, project: () => this.#project })
  readonly #quality = new QualityService({
    jobs: this.jobs,
    project: () => this.#project,
    edited: (group, origin) => this.#edited(group, origin),
  })
  readonly #health = new HealthService({ jobs: this.jobs, project: () => this.#project })
  readonly recent: RecentProjects
  readonly #options: ServiceOptions
  #project: Project | null = null
  #info: ProjectInfo | null = null
  #rows: { dataVersion: number; rows: ImageRow[] } | null = null
  #importing = false

  constructor(options: ServiceOptions) {
    this.#options = options
    this.recent = new RecentProjects(options.configDir)
  }

  /**
   * The single entry point for transports: unknown names and inputs that fail the request's schema
   * answer BAD_INPUT; nothing thrown inside leaves as anything but { code, message }.
   */
  async handle(name: unknown, input: unknown, origin?: string): Promise<Reply> {
    try {
      if (!isRequestName(name)) {
        throw new TagsmithError('BAD_INPUT', `unknown request ${describeName(name)}`)
      }
      const parsed = requestSchemas[name].safeParse(input)
      if (!parsed.success) {
        throw new TagsmithError('BAD_INPUT', `${name}: ${describeIssues(parsed.error)}`)
      }
      const handler = this.#handlers[name] as (input: unknown, origin: string | undefined) => Promise<unknown>
      return { ok: true, result: await handler(parsed.data, origin) }
    } catch (err) {
      // An SQLite failure not otherwise handled (disk full, damaged page) is about the open project.
      const file = this.#project?.file
      return { ok: false, error: toWireError(file && sqliteCodeOf(err) ? projectFileError(err, file) : err) }
    }
  }

  /** Typed call for in-process callers (menus, tests); throws TagsmithError instead of replying. */
  async request<K extends RequestName>(name: K, input: Requests[K]['in'], origin?: string): Promise<Requests[K]['out']> {
    const reply = await this.handle(name, input, origin)
    if (!reply.ok) throw new TagsmithError(asErrorCode(reply.error.code), reply.error.message)
    return reply.result as Requests[K]['out']
  }

  /** The file to send for an image: its cached thumbnail (made on first use) or the original. */
  async imageFile(imageId: number, kind: 'thumb' | 'full'): Promise<string> {
    return (await this.imageSource(imageId, kind)).file
  }

  /**
   * The file to send for an image and its rows' `hash8` (the start of its content hash), which a transport
   * compares with the one in the address before letting the answer be cached for good.
   */
  async imageSource(imageId: number, kind: 'thumb' | 'full'): Promise<{ file: string; hash8: string | null }> {
    const project = this.#requireProject()
    const record = project.image(imageId)
    if (!record) throw new TagsmithError('NOT_FOUND', `no image with id ${imageId}`)
    const file = project.imagePath(imageId)
    if (file === null) {
      throw new TagsmithError('NOT_FOUND', `image ${imageId} (${record.path}) is ${record.status}`)
    }
    const hash8 = toImageRow(record).hash8
    if (kind === 'full') return { file, hash8 }
    if (record.hash === null) throw new TagsmithError('NOT_FOUND', `image ${imageId} (${record.path}) has no content hash`)
    const thumb = await thumbnailFor(file, record.hash, `${project.file}.cache`, this.#options.thumbnailSize ?? THUMBNAIL_SIZE)
    return { file: thumb, hash8 }
  }

  get project(): Project | null {
    return this.#project
  }

  close(): void {
    this.jobs.cancelAll()
    this.#training.close()
    this.#closeProject()
  }

  readonly #handlers: Handlers = {
    'app:info': async () => ({ version: this.#options.version, mode: this.#options.mode }),

    'project:open': async ({ file }) => {
      this.#refuseWhileImporting()
      requireFile(file, 'project file')
      const project = Project.open(file)
      this.#setProject(project)
      return this.#projectInfo()
    },

    'project:import': async ({ csvs, imagesDir, projectFile }, origin) => {
      this.#refuseWhileImporting()
      for (const csv of csvs) requireFile(csv, 'CSV file')
      this.#importing = true
      try {
        const { done } = this.jobs.run(
          'import',
          ({ signal, report }) =>
            Project.importCsvs({ csvs, imagesDir, projectFile, signal, onProgress: (p) => report({ ...p, phase: 'hashing images' }) }),
          origin,
        )
        const { project, report } = await done
        this.#setProject(project)
        return { info: this.#projectInfo(), report }
      } finally {
        this.#importing = false
      }
    },

    'project:current': async () => (this.#project ? this.#projectInfo() : null),

    'project:recent': async () => this.recent.list(),

    'project:close': async () => {
      this.#refuseWhileImporting()
      this.#closeProject()
      return null
    },

    'images:list': async () => this.#imageRows(),

    // The edit log checks every label and image id inside the transaction (BAD_INPUT, nothing written).
    'labels:set': async ({ changes }, origin) => this.#edited(this.#requireProject().setLabels(changes), origin),

    'labels:undo': async (_input, origin) => {
      const group = this.#requireProject().undo()
      return group ? this.#edited(group, origin) : null
    },

    'labels:redo': async (_input, origin) => {
      const group = this.#requireProject().redo()
      return group ? this.#edited(group, origin) : null
    },

    'labels:history': async () => this.#requireProject().undoState(),

    'groups:set': async ({ groups }) => {
      const project = this.#requireProject()
      setProjectGroups(project, groups)
      this.#info = null
      return this.#projectInfo()
    },

    // setSplit refuses unknown ids inside its transaction (BAD_INPUT, nothing written).
    'split:set': async ({ imageIds, split }, origin) => {
      const project = this.#requireProject()
      project.setSplit(imageIds, split)
      this.#rows = null
      const rows = project.imagesByIds(imageIds).map(toImageRow)
      this.events['labels:changed'].emit({ rows }, origin)
      return rows
    },

    'dataset:changes': async () => this.#requireProject().changesSinceImport(),

    'dataset:export': async ({ outDir }) => {
      const project = this.#requireProject()
      const files = project.exportCsvs(outDir)
      return { files, summary: project.changesSinceImport() }
    },

    'job:cancel': async ({ jobId }) => {
      this.jobs.cancel(jobId)
      return null
    },

    'dialog:openCsv': async () => this.#dialogs().openCsv(),
    'dialog:openProject': async () => this.#dialogs().openProject(),
    'dialog:chooseFolder': async ({ title }) => this.#dialogs().chooseFolder(title),

    ...this.#training.handlers,
    ...this.#predictions.handlers,
    ...this.#quality.handlers,
    ...this.#health.handlers,
  }

  #edited(group: Parameters<typeof toEditResult>[0], origin: string | undefined): Requests['labels:set']['out'] {
    const project = this.#requireProject()
    this.#rows = null
    const result = toEditResult(group, (ids) => project.imagesByIds(ids), project.undoState())
    if (result.rows.length > 0) this.events['labels:changed'].emit({ rows: result.rows }, origin)
    return result
  }

  #dialogs(): Dialogs {
    const dialogs = this.#options.dialogs
    if (!dialogs) {
      throw new TagsmithError('UNAVAILABLE', 'native file dialogs are not available in web mode; type the path instead')
    }
    return dialogs
  }

  #requireProject(): Project {
    return requireOpen(this.#project)
  }

  #refuseWhileImporting(): void {
    if (this.#importing) throw new TagsmithError('CONFLICT', 'an import is running; wait for it or cancel it first')
  }

  #setProject(project: Project): void {
    this.#closeProject()
    this.#project = project
    this.recent.add(project.file)
  }

  #closeProject(): void {
    this.#project?.close()
    this.#project = null
    this.#info = null
    this.#rows = null
  }

  /**
   * Every row, read once and kept until an edit through this service or a commit by another connection
   * (the CLI, a training process) changes the file: SQLite's data_version tells the latter. A reload of the
   * page then costs no pass over 11k rows.
   */
  #imageRows(): ImageRow[] {
    const project = this.#requireProject()
    const dataVersion = Number(project.db.pragma('data_version', { simple: true }))
    if (this.#rows?.dataVersion !== dataVersion) this.#rows = { dataVersion, rows: project.images().map(toImageRow) }
    return this.#rows.rows
  }

  /** Cached: labels, sources and the image count do not change after import. */
  #projectInfo(): ProjectInfo {
    const project = this.#requireProject()
    if (!this.#info) {
      const images = project.images()
      this.#info = {
        file: project.file,
        imagesDir: project.imagesDir,
        labels: project.labels(),
        groups: project.getSetting<string[][]>('groups') ?? [],
        sources: [...new Set(images.map((image) => image.source))],
        imageCount: images.length,
      }
    }
    return this.#info
  }
}

function requireFile(file: string, what: string): void {
  const stats = statSync(file, { throwIfNoEntry: false })
  if (!stats) throw new TagsmithError('NOT_FOUND', `${what} not found: ${file}`)
  if (!stats.isFile()) throw new TagsmithError('BAD_INPUT', `${what} is not a file: ${file}`)
}

function describeName(name: unknown): string {
  if (typeof name === 'string') return JSON.stringify(name.slice(0, 100))
  return `(${name === null ? 'null' : typeof name})`
}

const ERROR_CODES = new Set(['BAD_INPUT', 'NOT_FOUND', 'TOO_NEW', 'CONFLICT', 'CANCELLED', 'UNAVAILABLE', 'INTERNAL'])

function asErrorCode(code: string): ConstructorParameters<typeof TagsmithError>[0] {
  return ERROR_CODES.has(code) ? (code as ConstructorParameters<typeof TagsmithError>[0]) : 'INTERNAL'
}
