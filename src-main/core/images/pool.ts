import { TagsmithError } from '../errors.ts'

export interface Progress {
  done: number
  total: number
  /** Items per second since the start. */
  rate: number
  /** Seconds left at the current rate; null until the first item is done. */
  etaSeconds: number | null
}

export interface PoolOptions {
  concurrency: number
  signal?: AbortSignal | undefined
  onProgress?: ((p: Progress) => void) | undefined
  /** Minimum time between progress reports; the first and the last are always sent. */
  progressIntervalMs?: number | undefined
}

/**
 * Runs work(i) for i in [0, total) with at most `concurrency` in flight. On abort no new item
 * starts; the promise rejects with CANCELLED once the items already running have settled, so
 * nothing is written after it returns. An error thrown by work() stops the pool the same way and
 * is rethrown: per-item failures the caller wants to tolerate must be caught inside work().
 */
export async function runPool(total: number, work: (i: number) => Promise<void>, opts: PoolOptions): Promise<void> {
  const { signal, onProgress } = opts
  const interval = opts.progressIntervalMs ?? 100
  if (signal?.aborted) throw cancelled(0, total)
  const started = performance.now()
  let next = 0
  let done = 0
  let lastReport = -Infinity
  const errors: unknown[] = []

  const report = (): void => {
    if (!onProgress) return
    const now = performance.now()
    if (done < total && now - lastReport < interval) return
    lastReport = now
    const seconds = (now - started) / 1000
    const rate = seconds > 0 ? done / seconds : 0
    onProgress({ done, total, rate, etaSeconds: rate > 0 ? (total - done) / rate : null })
  }

  const worker = async (): Promise<void> => {
    while (next < total && !signal?.aborted && errors.length === 0) {
      const i = next++
      try {
        await work(i)
      } catch (error) {
        errors.push(error)
        return
      }
      done++
      report()
    }
  }

  const width = Math.max(1, Math.min(Math.floor(opts.concurrency), total))
  if (total === 0) report()
  await Promise.all(Array.from({ length: width }, worker))
  if (errors.length > 0) throw errors[0]
  if (signal?.aborted && done < total) throw cancelled(done, total)
}

function cancelled(done: number, total: number): TagsmithError {
  return new TagsmithError('CANCELLED', `cancelled after ${done} of ${total} images`)
}
