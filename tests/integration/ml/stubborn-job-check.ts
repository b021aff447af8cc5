import { expect } from 'vitest'
import { runJobModule } from '../../../src-main/core/jobs/run-job.ts'

/**
 * Starts `module` (a job that ignores the cancel message), cancels it at its first progress report and
 * checks it is killed once the 1 s grace period is over: the same rule for every way of starting a job.
 */
export async function expectStubbornJobKilledAfterGrace(module: string): Promise<void> {
  const controller = new AbortController()
  let abortedAt = 0
  const running = runJobModule('stubborn', module, {}, {
    signal: controller.signal,
    killAfterMs: 1000,
    onProgress: () => {
      abortedAt = performance.now()
      controller.abort()
    },
  })
  await expect(running).rejects.toMatchObject({ code: 'CANCELLED' })
  const waited = performance.now() - abortedAt
  expect(waited).toBeGreaterThanOrEqual(900)
  expect(waited).toBeLessThan(3000)
}
