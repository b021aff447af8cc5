// Long work the service runs on the caller's behalf: each job gets an id, an AbortSignal that
// `job:cancel` trips, throttled progress events with rate and ETA, and one `job:ended` event.
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { TagsmithError, toWireError } from '../errors.ts'
import type { Emitter } from './emitter.ts'

export interface JobContext {
  jobId: string
  signal: AbortSignal
  report(progress: { done: number; total: number; phase?: string }): void
}

const PROGRESS_INTERVAL_MS = 100

export class JobTable {
  readonly #running = new Map<string, AbortController>()
  #next = 1

  constructor(
    private readonly progress: Emitter<JobProgress>,
    private readonly ended: Emitter<JobEnded>,
  ) {}

  /** Starts `work` now; resolves or rejects with its result once `job:ended` has been emitted. */
  run<T>(kind: string, work: (ctx: JobContext) => Promise<T>, origin?: string): { jobId: string; done: Promise<T> } {
    const jobId = `${kind}-${this.#next++}`
    const controller = new AbortController()
    this.#running.set(jobId, controller)
    const started = performance.now()
    let lastSent = -Infinity
    let lastPhase: string | undefined
    const report: JobContext['report'] = ({ done, total, phase = kind }) => {
      const now = performance.now()
      // Throttled, except that a new phase and the last step always reach the UI.
      if (done < total && phase === lastPhase && now - lastSent < PROGRESS_INTERVAL_MS) return
      lastSent = now
      lastPhase = phase
      const seconds = (now - started) / 1000
      const rate = seconds > 0 ? done / seconds : 0
      const etaSeconds = rate > 0 ? Math.max(0, (total - done) / rate) : null
      this.progress.emit({ jobId, kind, phase, done, total, rate, etaSeconds }, origin)
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

  cancel(jobId: string): void {
    const controller = this.#running.get(jobId)
    if (!controller) throw new TagsmithError('NOT_FOUND', `no running job with id ${jobId}`)
    controller.abort()
  }

  cancelAll(): void {
    for (const controller of this.#running.values()) controller.abort()
  }

  get runningCount(): number {
    return this.#running.size
  }
}
