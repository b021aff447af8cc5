import type { JobCounts } from './protocol.ts'

/**
 * Rate and time left of one job's progress, phase by phase: the one place either is worked out (jobs
 * and their children report counts only). A phase's first report is its starting line: what it counts
 * was done before the phase began (features already cached) and is not part of its rate.
 */
export class ProgressMeter {
  #phase: string | null = null
  #since = 0
  #doneAtStart = 0

  measure(counts: JobCounts, now = performance.now()): { rate: number; etaSeconds: number | null } {
    if (counts.phase !== this.#phase) {
      this.#phase = counts.phase
      this.#since = now
      this.#doneAtStart = counts.done
    }
    const seconds = (now - this.#since) / 1000
    const rate = seconds > 0 ? Math.max(0, counts.done - this.#doneAtStart) / seconds : 0
    const left = Math.max(0, counts.total - counts.done)
    const etaSeconds = counts.total > 0 && left === 0 ? 0 : rate > 0 ? left / rate : null
    return { rate, etaSeconds }
  }
}
