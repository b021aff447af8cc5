import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { expectStubbornJobKilledAfterGrace } from './stubborn-job-check.ts'
import { runJob, runJobModule, setJobLauncher, type JobCounts } from '../../../src-main/core/jobs/run-job.ts'
import { useUtilityProcessesForJobs } from '../../../src-main/electron/job-launcher.ts'
import { utilityProcess } from '../../desktop/stand-in/utility-process.ts'

// The desktop app's launcher, on a stand-in for Electron's utilityProcess (no Electron binary here). The
// stand-in's child has process.parentPort and no process.send, and drops what arrives after 'exit', as
// Electron does.
vi.mock('electron', async () => await import('../../desktop/stand-in/utility-process.ts'))

const job = (name: string): string => path.join(import.meta.dirname, 'jobs', `${name}.ts`)
const fork = vi.spyOn(utilityProcess, 'fork')

beforeAll(() => useUtilityProcessesForJobs())
afterAll(() => setJobLauncher(null))

describe('jobs in Electron utility processes', () => {
  it('streams progress and events and returns the result, from a utility process', async () => {
    fork.mockClear()
    const progress: JobCounts[] = []
    const events: unknown[] = []
    const result = await runJobModule<{ doubled: number[]; pid: number }>('echo', job('echo-job'), { items: [1, 2, 3] }, {
      onProgress: (p) => progress.push(p),
      onEvent: (event) => events.push(event),
    })
    expect(fork).toHaveBeenCalledOnce()
    expect(fork.mock.calls[0]?.[2]).toMatchObject({ stdio: 'pipe', serviceName: 'Tagsmith echo job' })
    expect(result.doubled).toEqual([2, 4, 6])
    expect(result.pid).not.toBe(process.pid)
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3])
    expect(events).toEqual([{ name: 'note', data: { hello: 'parent' } }])
  })

  it('runs the real backend probe job', async () => {
    const probe = await runJob('backend', {})
    expect(probe.backend).toMatchObject({ backend: expect.any(String), device: expect.any(String) })
    expect(probe.engines.length).toBeGreaterThan(0)
    expect(probe.defaults.epochs).toBeGreaterThan(0)
  })

  it('delivers a large last message before the child exits, over parentPort only', async () => {
    const result = await runJobModule<{ values: Float64Array; parentPort: boolean; send: boolean }>('big', job('big-result-job'), { megabytes: 24 })
    expect(result).toMatchObject({ parentPort: true, send: false })
    expect(result.values.length).toBe(3 * 1024 * 1024)
    expect(result.values[result.values.length - 1]).toBe(3 * 1024 * 1024 - 1)
  })

  it("passes a job's thrown error back as {code, message}", async () => {
    await expect(runJobModule('crash', job('crash-job'), { how: 'throw' })).rejects.toMatchObject({ code: 'INTERNAL', message: 'bad thing in the job' })
  })

  it('reports a crashed child with the tail of its stderr, and the parent lives on', async () => {
    // Electron reports the exit before the child's stderr has ended: the report waits for the rest.
    const crash = runJobModule('noisy', job('stderr-then-crash-job'), {})
    await expect(crash).rejects.toMatchObject({ code: 'INTERNAL', message: 'noisy job crashed (exit code 70): native trouble in the job\nthe last words of the job' })
    await expect(runJobModule('crash', job('crash-job'), { how: 'exit' })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/crashed \(exit code 3\)/) })
    // Electron reports a child killed by a signal with the signal's number as its exit code.
    await expect(runJobModule('crash', job('crash-job'), { how: 'abort' })).rejects.toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/crashed \(exit code 9\)/) })
  })

  it('cancels a job that listens at once', async () => {
    const controller = new AbortController()
    let abortedAt = 0
    const running = runJobModule('patient', job('wait-for-cancel-job'), {}, {
      signal: controller.signal,
      killAfterMs: 5000,
      onProgress: () => {
        abortedAt = performance.now()
        controller.abort()
      },
    })
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(performance.now() - abortedAt).toBeLessThan(1000)
  })

  it('kills a child that ignores the cancel message after the grace period', async () => {
    await expectStubbornJobKilledAfterGrace(job('stubborn-job'))
  })
})
