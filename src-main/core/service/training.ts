// The service's training requests. A run is one job: the whole of it (TF.js, extraction, the head)
// happens in child processes, so the process serving the UI only forwards progress and epochs. The
// labels are read when Train is pressed; edits made while the run goes on belong to the next run.
import type {
  JobProgress,
  RequestName,
  Requests,
  TrainBackends,
  TrainConfig,
  TrainDone,
  TrainEpoch,
  TrainSettings,
  TrainStatus,
} from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import { TagsmithError } from '../errors.ts'
import type { BackendProbe } from '../jobs/kinds/backend.ts'
import type { TrainJobInput } from '../jobs/kinds/train.ts'
import { runJob, type JobProgress as EngineProgress } from '../jobs/run-job.ts'
import { readCatalog, resolveBackbone } from '../ml/backbones/catalog.ts'
import { deleteRun, getRun, listRuns } from '../ml/runs.ts'
import type { EpochEvent } from '../ml/train.ts'
import type { Emitter } from './emitter.ts'
import type { JobContext, JobTable } from './jobs.ts'
import { requireOpen } from './open-project.ts'
import { toBackboneChoice, toEpochStats, toRunDetail, toRunMetrics, toRunSummary } from './training-wire.ts'

type TrainRequest = Extract<RequestName, `train:${string}`>
export type TrainHandlers = {
  [K in TrainRequest]: (input: Requests[K]['in'], origin: string | undefined) => Promise<Requests[K]['out']>
}

export interface TrainingOptions {
  jobs: JobTable
  progress: Emitter<JobProgress>
  epoch: Emitter<TrainEpoch>
  done: Emitter<TrainDone>
  /** The project open in the service, if any. */
  project: () => Project | null
  /** Where download-once backbones are kept (default: the platform's cache folder). */
  cacheDir?: string
}

const PROGRESS_INTERVAL_MS = 100

function toConfig(settings: TrainSettings): Partial<TrainConfig> {
  const config: Partial<TrainConfig> = {}
  if (settings.epochs !== undefined) config.epochs = settings.epochs
  if (settings.lr !== undefined) config.learningRate = settings.lr
  if (settings.batchSize !== undefined) config.batchSize = settings.batchSize
  if (settings.seed !== undefined) config.seed = settings.seed
  if (settings.l2 !== undefined) config.l2 = settings.l2
  if (settings.classWeighting !== undefined) config.classWeighting = settings.classWeighting
  return config
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
    'train:start': async (settings, origin) => this.#start(settings, origin),
    'train:current': async () => (this.#current ? structuredClone(this.#current) : null),
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

  async #start(settings: TrainSettings, origin: string | undefined): Promise<{ jobId: string }> {
    const project = this.#requireProject()
    this.#refuseWhileRunning()
    // The label snapshot: taken now, before anything else can interleave with this request.
    const rows = project.images()
    if (!rows.some((r) => r.split === 'train' && r.status === 'ok')) {
      throw new TagsmithError('BAD_INPUT', 'no readable images in the train split: mark some rows as train first')
    }
    resolveBackbone(settings.backbone) // refuses an unknown backbone before a job starts
    this.#starting = true
    let defaults: TrainConfig
    try {
      defaults = (await this.#probeBackend()).defaults
    } finally {
      this.#starting = false
    }
    if (this.#options.project() !== project) throw new TagsmithError('CONFLICT', 'the project was closed before training could start')
    const config = toConfig(settings)
    const input: TrainJobInput = { projectFile: project.file, rows, backbone: settings.backbone, config, cacheDir: this.#options.cacheDir, engine: settings.engine }
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

  async #run(ctx: JobContext, input: TrainJobInput, status: TrainStatus, origin: string | undefined): Promise<TrainDone> {
    this.#current = status
    const { jobId } = ctx
    let lastSent = -Infinity
    const report = (p: EngineProgress, force: boolean): void => {
      const now = performance.now()
      if (!force && p.phase === status.progress?.phase && p.done < p.total && now - lastSent < PROGRESS_INTERVAL_MS) return
      lastSent = now
      const progress: JobProgress = { jobId, kind: 'train', phase: p.phase, done: p.done, total: p.total, rate: p.rate ?? 0, etaSeconds: p.etaSeconds ?? null }
      status.progress = progress
      this.#options.progress.emit(progress, origin)
    }
    const onEpoch = (e: EpochEvent): void => {
      const stats = toEpochStats(e)
      status.history.push(stats)
      this.#options.epoch.emit({ jobId, ...stats }, origin)
      const seconds = status.history.reduce((sum, h) => sum + h.seconds, 0)
      const rate = seconds > 0 ? status.history.length / seconds : 0
      report({ phase: 'train', done: e.epoch, total: status.epochs, rate, etaSeconds: rate > 0 ? (status.epochs - e.epoch) / rate : null }, true)
    }
    try {
      report({ phase: 'starting', done: 0, total: 0, rate: 0, etaSeconds: null }, true)
      const result = await runJob('train', input, {
        signal: ctx.signal,
        onProgress: (p) => report(p, false),
        onEvent: ({ data }) => onEpoch(data),
      })
      const done: TrainDone = {
        jobId,
        runId: result.runId,
        project: input.projectFile,
        metrics: toRunMetrics(result.metrics),
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
