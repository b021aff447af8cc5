// Long work run on a caller's behalf, in this process or in child processes: each job gets an id, an
// AbortSignal that cancel trips, progress events with rate and time left, and one end event. The table
// is where progress is measured (progress-meter.ts) and thinned out before it reaches a UI.
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { TagsmithError, toWireError } from '../errors.ts'
import { ProgressMeter } from './progress-meter.ts'
import type { JobCounts } from './protocol.ts'
import type { JobKind } from './registry.ts'

/** Where the table sends its events (the service's emitters); `origin` names the client that asked. */
export interface EventSink<T> {
  emit(value: T, origin?: string): void
}

/** A job of the table: a kind of child-process job, or work done in the table's own process. */
export type TableJobKind = JobKind | 'import' | 'health' | 'add-images' | 'rescan'

export interface TableJob {
  jobId: string
  signal: AbortSignal
  /** how far the job is; the table works out rate and time left and sends what is worth sending */
  report(counts: JobCounts): void
}

/** At most one progress event per this interval, unless a phase starts or ends or a percent passes. */
const PROGRESS_INTERVAL_MS = 100

interface Running {
  controller: AbortController
  /** the last progress sent */
  progress: JobProgress | null
}

export class JobTable {
  readonly #running = new Map<string, Running>()
  #next = 1

  constructor(
    private readonly progress: EventSink<JobProgress>,
    private readonly ended: EventSink<JobEnded>,
  ) {}

  /** Starts `work` now; resolves or rejects with its result once the end event has been sent. */
  run<T>(kind: TableJobKind, work: (job: TableJob) => Promise<T>, origin?: string): { jobId: string; done: Promise<T> } {
    const jobId = `${kind}-${this.#next++}`
    const controller = new AbortController()
    const running: Running = { controller, progress: null }
    this.#running.set(jobId, running)
    const meter = new ProgressMeter()
    let lastSent = -Infinity
    const report = ({ phase, done, total }: JobCounts): void => {
      const now = performance.now()
      const { rate, etaSeconds } = meter.measure({ phase, done, total }, now)
      const last = running.progress
      // A new phase, the last step and each percent always reach the UI (so do epochs, however fast);
      // otherwise one event per interval.
      const step = last !== null && last.phase === phase && done < total && now - lastSent < PROGRESS_INTERVAL_MS && done - last.done < total / 100
      if (step) return
      lastSent = now
      running.progress = { jobId, kind, phase, done, total, rate, etaSeconds }
      this.progress.emit(running.progress, origin)
    }
    const done = (async () => {
      try {
        const result = await work({ jobId, signal: controller.signal, report })
        this.ended.emit({ jobId, kind, status: 'done' }, origin)
        return result
      } catch (err) {
        const cancelled = controller.signal.aborted
        const error = cancelled ? { code: 'CANCELLED', message: `${kind} was cancelled` } : toWireError(err)
        this.ended.emit({ jobId, kind, status: cancelled ? 'cancelled' : 'failed', error }, origin)
        throw cancelled ? new TagsmithError('CANCELLED', error.message) : err
      } finally {
        this.#running.delete(jobId)
      }
    })()
    return { jobId, done }
  }

  /** The last progress event a running job sent, null before its first. */
  progressOf(jobId: string): JobProgress | null {
    const progress = this.#running.get(jobId)?.progress
    return progress ? { ...progress } : null
  }

  cancel(jobId: string): void {
    const running = this.#running.get(jobId)
    if (!running) throw new TagsmithError('NOT_FOUND', `no running job with id ${jobId}`)
    running.controller.abort()
  }

  cancelAll(): void {
    for (const { controller } of this.#running.values()) controller.abort()
  }

  get runningCount(): number {
    return this.#running.size
  }

  /** How many jobs run now, leaving out those of the kinds in `except`. */
  runningExcept(except: readonly TableJobKind[]): number {
    let count = 0
    for (const jobId of this.#running.keys()) if (!except.some((kind) => jobId.startsWith(`${kind}-`))) count++
    return count
  }
}
