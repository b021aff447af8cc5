import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobEnded } from '../../../src-preload/contract.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { FakeClient } from './fake-transport.ts'
import { nextEvent, serviceIn, trainingProject } from './training-project.ts'

// Cancel and crash of a real training job on 16 train + 8 val fixture images. Epochs are asked for by
// the thousand so the run is surely still going when the test steps in.
let project: Awaited<ReturnType<typeof trainingProject>>
let service: Service
let client: FakeClient

beforeAll(async () => {
  project = await trainingProject(16, 8)
  service = serviceIn(project.dir)
  client = new FakeClient(service, 'ui')
  await client.invoke('project:open', { file: project.file })
}, 120_000)

afterAll(() => {
  client?.close()
  service?.close()
  project?.remove()
})

const trainEnded = (): Promise<JobEnded> => nextEvent(client, 'job:ended', (e) => e.kind === 'train')

/** Job processes this test process started, the direct children first. */
function jobProcesses(): number[] {
  try {
    const out = execFileSync('pgrep', ['-f', '-P', String(process.pid), 'jobs/worker'], { encoding: 'utf8' })
    return out.split('\n').filter(Boolean).map(Number)
  } catch {
    return [] // pgrep exits 1 when nothing matches
  }
}

describe('training jobs stop on request and fail cleanly', () => {
  it('stops during feature extraction within a second of job:cancel, and stores no run', async () => {
    const ended = trainEnded()
    const extracting = nextEvent(client, 'job:progress', (p) => p.kind === 'train' && p.phase === 'extract')
    const { jobId } = await client.invoke('train:start', { epochs: 5 })
    const at = await extracting
    expect(at.done).toBeLessThan(at.total)
    const asked = performance.now()
    await client.invoke('job:cancel', { jobId })
    const end = await ended
    const ms = performance.now() - asked
    expect(end).toMatchObject({ jobId, status: 'cancelled', error: { code: 'CANCELLED' } })
    // The child gets a second to stop by itself, then is killed.
    expect(ms).toBeLessThan(1500)
    expect(await client.invoke('train:runs', {})).toEqual([])
    expect(await client.invoke('train:current', {})).toBeNull()
  }, 120_000)

  it('stops between epochs well within a second of job:cancel', async () => {
    const ended = trainEnded()
    const firstEpoch = nextEvent(client, 'train:epoch')
    const { jobId } = await client.invoke('train:start', { epochs: 10_000 })
    await firstEpoch
    const asked = performance.now()
    await client.invoke('job:cancel', { jobId })
    const end = await ended
    const ms = performance.now() - asked
    expect(end).toMatchObject({ jobId, status: 'cancelled' })
    expect(ms).toBeLessThan(1000)
    expect(await client.invoke('train:runs', {})).toEqual([])
  }, 120_000)

  it('reports a killed training process as a failed job; the service keeps answering and trains again', async () => {
    const ended = trainEnded()
    const firstEpoch = nextEvent(client, 'train:epoch')
    const { jobId } = await client.invoke('train:start', { epochs: 10_000 })
    await firstEpoch
    const [child] = jobProcesses()
    expect(child).toBeDefined()
    process.kill(child as number, 'SIGKILL')
    const end = await ended
    expect(end).toMatchObject({ jobId, status: 'failed', error: { code: 'INTERNAL', message: expect.stringContaining('crashed') } })
    expect(await client.invoke('app:info', {})).toMatchObject({ mode: 'web' })
    expect(await client.invoke('train:current', {})).toBeNull()

    const again = trainEnded()
    const done = nextEvent(client, 'train:done')
    await client.invoke('train:start', { epochs: 2 })
    expect(await again).toMatchObject({ status: 'done' })
    expect((await done).rows).toEqual({ train: 16, val: 8, valSource: 'val' })
  }, 120_000)
})
