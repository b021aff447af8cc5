import { TagsmithError } from '../errors.ts'
import type { JobChild } from './launcher.ts'
import type { JobCounts } from './protocol.ts'
import type { JobInput, JobKind, JobOutput } from './registry.ts'
import { childOf } from './run-job.ts'

// A job kind served by one long-lived child process (resident-worker.ts) instead of a process per job:
// for work whose set-up (loading a model) costs far more than each call. Calls run one at a time in the
// order made. The child starts on the first call, is stopped after `idleMs` without a call (its memory
// given back), and started again by the next call; a crash fails the call it was running, not the next.

/** How long a resident child waits for another call before it is stopped (10 minutes). */
export const RESIDENT_IDLE_MS = 10 * 60_000
const STDERR_TAIL = 4000

interface CallOptions {
  signal?: AbortSignal
  killAfterMs?: number
  onProgress?: (p: JobCounts) => void
}

interface Pending {
  onProgress?: (p: JobCounts) => void
  resolve(value: unknown): void
  reject(err: TagsmithError): void
  cancelled: boolean
}

export class ResidentJob<K extends JobKind> {
  readonly #kind: K
  readonly #idleMs: number
  readonly #moduleOverride: string | undefined
  #child: JobChild | null = null
  #pending: Pending | null = null
  #chain: Promise<unknown> = Promise.resolve()
  #idle: NodeJS.Timeout | undefined
  #stderr = ''
  #closed = false

  /** `module`: a job module to run instead of the kind's (test stand-ins, as runJobModule). */
  constructor(kind: K, opts: { idleMs?: number; module?: string } = {}) {
    this.#kind = kind
    this.#idleMs = opts.idleMs ?? RESIDENT_IDLE_MS
    this.#moduleOverride = opts.module
  }

  /** Whether a child is running now (a warm model may be in it). */
  get running(): boolean {
    return this.#child !== null
  }

  /** Runs one call; rejects with the job's error, CANCELLED after `signal` aborts, INTERNAL when the child dies. */
  run(input: JobInput<K>, opts: CallOptions = {}): Promise<JobOutput<K>> {
    const next = this.#chain.then(
      () => this.#runOne(input, opts),
      () => this.#runOne(input, opts),
    )
    this.#chain = next.catch(() => undefined)
    return next
  }

  /** Stops the child at once; a call still running fails. Later calls start a new child. */
  stop(): void {
    clearTimeout(this.#idle)
    const child = this.#child
    this.#child = null
    child?.kill()
    this.#pending?.reject(new TagsmithError('CANCELLED', `${this.#kind} stopped`))
    this.#pending = null
  }

  /** Stops the child for good: calls made after this fail. */
  close(): void {
    this.#closed = true
    this.stop()
  }

  #runOne(input: JobInput<K>, opts: CallOptions): Promise<JobOutput<K>> {
    if (this.#closed) return Promise.reject(new TagsmithError('UNAVAILABLE', `${this.#kind} is closed`))
    if (opts.signal?.aborted) return Promise.reject(new TagsmithError('CANCELLED', `${this.#kind} cancelled`))
    clearTimeout(this.#idle)
    return new Promise<JobOutput<K>>((resolve, reject) => {
      let killTimer: NodeJS.Timeout | undefined
      const done = (): void => {
        clearTimeout(killTimer)
        opts.signal?.removeEventListener('abort', onAbort)
        if (this.#pending === pending) this.#pending = null
        this.#armIdle()
      }
      const pending: Pending = {
        onProgress: opts.onProgress,
        resolve: (value) => {
          done()
          resolve(value as JobOutput<K>)
        },
        reject: (err) => {
          done()
          reject(err)
        },
        cancelled: false,
      }
      const onAbort = (): void => {
        pending.cancelled = true
        const child = this.#child
        child?.send({ type: 'cancel' }).catch(() => undefined)
        // A child that does not stop in time is killed; the next call starts another.
        killTimer = setTimeout(() => {
          if (this.#pending === pending && this.#child === child) this.stop()
        }, opts.killAfterMs ?? 1000)
      }
      this.#pending = pending
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      let child: JobChild
      let module: string
      try {
        ;({ child, module } = this.#ensureChild())
      } catch (err) {
        pending.reject(new TagsmithError('INTERNAL', `cannot start ${this.#kind}: ${err instanceof Error ? err.message : String(err)}`))
        return
      }
      child.send({ type: 'start', module, input }).catch((err: unknown) => {
        if (this.#child === child) this.stop()
        pending.reject(new TagsmithError('INTERNAL', `cannot send ${this.#kind} input: ${err instanceof Error ? err.message : String(err)}`))
      })
    })
  }

  #module = ''

  #ensureChild(): { child: JobChild; module: string } {
    if (this.#child) return { child: this.#child, module: this.#module }
    const { launcher, spec, module } = childOf(this.#kind, 'resident-worker')
    this.#module = this.#moduleOverride ?? module
    this.#stderr = ''
    const child: JobChild = launcher(spec, {
      message: (msg) => {
        const pending = this.#pending
        if (this.#child !== child || !pending) return
        if (msg.type === 'progress') pending.onProgress?.(msg.progress)
        else if (msg.type === 'result') pending.resolve(msg.value)
        else if (msg.type === 'error') pending.reject(new TagsmithError(pending.cancelled ? 'CANCELLED' : msg.error.code, msg.error.message))
      },
      stderr: (text) => {
        this.#stderr = (this.#stderr + text).slice(-STDERR_TAIL)
      },
      error: (err) => this.#lost(child, `${this.#kind} failed to run: ${err.message}`),
      close: ({ code, signal }) => {
        const tail = this.#stderr.trim().split('\n').slice(-5).join('\n')
        this.#lost(child, `${this.#kind} crashed (${signal ? `signal ${signal}` : `exit code ${code}`})${tail ? `: ${tail}` : ''}`)
      },
    })
    this.#child = child
    return { child, module: this.#module }
  }

  /** The child is gone: the call it ran fails (CANCELLED when it was being cancelled). */
  #lost(child: JobChild, message: string): void {
    if (this.#child !== child) return
    this.#child = null
    const pending = this.#pending
    this.#pending = null
    pending?.reject(new TagsmithError(pending.cancelled ? 'CANCELLED' : 'INTERNAL', pending.cancelled ? `${this.#kind} cancelled` : message))
  }

  #armIdle(): void {
    clearTimeout(this.#idle)
    if (!this.#child) return
    this.#idle = setTimeout(() => {
      if (!this.#pending) this.stop()
    }, this.#idleMs)
    this.#idle.unref()
  }
}
