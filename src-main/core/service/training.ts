// The service's training requests. A run is one job of the table and one child process (jobs/kinds/
// train.ts): TF.js, extraction and the head stay out of the process serving the UI, which passes on each
// epoch as it arrives. The labels are read when Train is pressed; edits made while the run goes on belong
// to the next run.
import type {
  RequestName,
  Requests,
  TrainBackends,
  TrainConfig,
  TrainDone,
  TrainEpoch,
  TrainSettings,
  TrainStatus,
} from '../../../src-preload/contract.ts'
import { osAccountName } from '../dataset/edit-authors.ts'
import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import type { BackendProbe } from '../jobs/kinds/backend.ts'
import type { TrainJobInput } from '../jobs/kinds/train.ts'
import type { JobTable, TableJob } from '../jobs/job-table.ts'
import { runJob } from '../jobs/run-job.ts'
import { readCatalog } from '../ml/backbones/catalog.ts'
import { resolveChoice } from '../ml/backbones/presets.ts'
import { deleteRun, getRun, listRuns } from '../ml/runs.ts'
import { trainConfigOf } from '../ml/train-config.ts'
import type { Emitter } from './emitter.ts'
import { requireOpen } from './open-project.ts'
import { toBackboneChoice, toEpochStats, toPresetChoice, toRunDetail, toRunMetrics, toRunSummary } from './training-wire.ts'

type TrainRequest = Extract<RequestName, `train:${string}`>
export type TrainHandlers = {
  [K in TrainRequest]: (input: Requests[K]['in'], origin: string | undefined, user?: string) => Promise<Requests[K]['out']>
}

export interface TrainingOptions {
  jobs: JobTable
  epoch: Emitter<TrainEpoch>
  done: Emitter<TrainDone>
  /** The project open in the service, if any. */
  project: () => Project | null
  /** Where download-once backbones are kept (default: the platform's cache folder). */
  cacheDir?: string
  /** On a team server: brings the working copy up to the labels committed in the shared store. */
  catchUp?: () => Promise<void>
  /** On a team server: sends a run just stored to the shared store; answers the run's id from then on. */
  stored?: (runId: number) => Promise<number>
}

export class Training {
  readonly #options: TrainingOptions
  #current: TrainStatus | null = null
  #starting = false
  #probe: Promise<BackendProbe> | null = null
  readonly #closing = new AbortController()

  constructor(options: TrainingOptions) {
    this.#options = options
  }

  readonly handlers: TrainHandlers = {
    'train:backends': async () => this.#backends(),
    'train:start': async (settings, origin, user) => this.#start(settings, origin, user),
    'train:current': async () => (this.#current ? { ...structuredClone(this.#current), progress: this.#options.jobs.progressOf(this.#current.jobId) } : null),
    'train:runs': async () => listRuns(this.#requireProject().db).map(toRunSummary),
    'train:run': async ({ id }) => toRunDetail(getRun(this.#requireProject().db, id)),
    'train:delete': async ({ id }) => {
      const db = this.#requireProject().db
      if (!listRuns(db).some((r) => r.id === id)) throw new TagsmithError('NOT_FOUND', `no run ${id} in this project`)
      deleteRun(db, id)
      return listRuns(db).map(toRunSummary)
    },
  }

  /** Stops a backend probe still running; training jobs belong to the job table, which cancels them. */
  close(): void {
    this.#closing.abort()
  }

  async #backends(): Promise<TrainBackends> {
    const probe = await this.#probeBackend()
    const catalog = readCatalog()
    return {
      backend: structuredClone(probe.backend),
      engine: probe.engine,
      engines: probe.engines.map((e) => ({ ...e })),
      backbones: catalog.backbones.map(toBackboneChoice),
      defaultBackbone: catalog.default,
      presets: catalog.presets.map((p) => toPresetChoice(p, catalog)),
      defaultPreset: catalog.defaultPreset,
      defaults: { ...probe.defaults },
    }
  }

  /** Asked once per service, in a child process; a failure is not kept, so the next ask retries. */
  #probeBackend(): Promise<BackendProbe> {
    if (!this.#probe) {
      const probe = runJob('backend', {}, { signal: this.#closing.signal })
      probe.catch(() => {
        if (this.#probe === probe) this.#probe = null
      })
      this.#probe = probe
    }
    return this.#probe
  }

  /** `user`: who the run is recorded for (none: the OS account). */
  async #start(settings: TrainSettings, origin: string | undefined, user?: string): Promise<{ jobId: string }> {
    const project = this.#requireProject()
    this.#refuseWhileRunning()
    // On a team server, the labels as committed by everyone at the moment Train was pressed.
    await this.#options.catchUp?.()
    // The label snapshot: taken now, before anything else can interleave with this request.
    const rows = project.images()
    if (!rows.some((r) => r.split === 'train' && r.status === 'ok')) {
      throw new TagsmithError('BAD_INPUT', 'no readable images in the train split: mark some rows as train first')
    }
    resolveChoice(settings) // refuses an unknown preset or backbone, or both at once, before a job starts
    this.#starting = true
    let defaults: TrainConfig
    try {
      defaults = (await this.#probeBackend()).defaults
    } finally {
      this.#starting = false
    }
    if (this.#options.project() !== project) throw new TagsmithError('CONFLICT', 'the project was closed before training could start')
    const config = trainConfigOf(settings)
    const author = user ?? osAccountName()
    const input: TrainJobInput = { projectFile: project.file, rows, preset: settings.preset, backbone: settings.backbone, config, cacheDir: this.#options.cacheDir, engine: settings.engine, author }
    const status: Omit<TrainStatus, 'jobId'> = {
      project: project.file,
      startedAt: new Date().toISOString(),
      settings: { ...settings },
      epochs: config.epochs ?? defaults.epochs,
      history: [],
      progress: null,
    }
    const { jobId, done } = this.#options.jobs.run('train', (ctx) => this.#run(ctx, input, { ...status, jobId: ctx.jobId }, origin), origin)
    // The outcome travels as events (train:done, job:ended); nobody awaits this promise.
    done.catch(() => undefined)
    return { jobId }
  }

  async #run(job: TableJob, input: TrainJobInput, status: TrainStatus, origin: string | undefined): Promise<TrainDone> {
    this.#current = status
    const { jobId } = job
    try {
      job.report({ phase: 'starting', done: 0, total: 0 })
      const result = await runJob('train', input, {
        signal: job.signal,
        onProgress: job.report,
        onEvent: ({ data: e }) => {
          const stats = toEpochStats(e)
          status.history.push(stats)
          this.#options.epoch.emit({ jobId, ...stats }, origin)
          // The job's progress in epochs follows each epoch.
          job.report({ phase: 'train', done: e.epoch, total: status.epochs })
        },
      })
      const runId = (await this.#options.stored?.(result.runId)) ?? result.runId
      const done: TrainDone = {
        jobId,
        runId,
        project: input.projectFile,
        metrics: toRunMetrics(result.metrics),
        bestEpoch: result.bestEpoch,
        extractSeconds: result.timings.extractSeconds,
        trainSeconds: result.timings.trainSeconds,
        backend: result.backend,
        device: result.device,
        engine: result.engine,
        backbone: result.backbone,
        rows: result.rows,
        extraction: { ...result.extraction, skipped: result.extraction.skipped.length },
      }
      this.#options.done.emit(done, origin)
      return done
    } finally {
      if (this.#current === status) this.#current = null
    }
  }

  #refuseWhileRunning(): void {
    if (this.#current) throw new TagsmithError('CONFLICT', `a training is running (${this.#current.jobId}): wait for it or cancel it first`)
    if (this.#starting) throw new TagsmithError('CONFLICT', 'a training is starting: wait for it or cancel it first')
  }

  #requireProject(): Project {
    return requireOpen(this.#options.project())
  }
}
