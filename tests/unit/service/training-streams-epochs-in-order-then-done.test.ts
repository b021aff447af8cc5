import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobEnded, TrainDone, TrainEpoch, TrainStatus } from '../../../src-preload/contract.ts'
import { osAccountName } from '../../../src-main/core/dataset/edit-authors.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import type { ImageRecord } from '../../../src-main/core/dataset/types.ts'
import { labelSnapshot } from '../../../src-main/core/ml/train-run.ts'
import { getRun } from '../../../src-main/core/ml/runs.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { FakeClient } from './fake-transport.ts'
import { nextEvent, recordEvents, serviceIn, trainingProject, type Logged } from './training-project.ts'

// A real run through the service on 48 train + 16 val fixture images: extraction and training happen in
// child processes; the client sees progress, then each epoch on its own, then the stored run, then the end.
let project: Awaited<ReturnType<typeof trainingProject>>
let service: Service
let client: FakeClient
let log: Logged[]
let done: TrainDone
let rowsAtStart: ImageRecord[]
let statusMidRun: TrainStatus | null = null

const EPOCHS = 3

beforeAll(async () => {
  project = await trainingProject(48, 16)
  service = serviceIn(project.dir)
  client = new FakeClient(service, 'ui')
  await client.invoke('project:open', { file: project.file })
  log = recordEvents(client, ['job:progress', 'train:epoch', 'train:done', 'job:ended'])
  client.on('train:epoch', (e) => {
    if (e.epoch === 1) void client.invoke('train:current', {}).then((s) => (statusMidRun = s))
  })
  const ended = nextEvent(client, 'job:ended', (e) => e.kind === 'train')
  const reader = Project.open(project.file)
  rowsAtStart = reader.images()
  reader.close()
  const { jobId } = await client.invoke('train:start', { epochs: EPOCHS, seed: 7 })
  expect(jobId).toMatch(/^train-/)
  // Edited while the run goes on: the run keeps the labels it started with.
  const first = rowsAtStart[0] as ImageRecord
  await client.invoke('labels:set', { changes: [{ imageId: first.id, label: 'white', value: first.labels[5] === 1 ? 0 : 1 }] })
  expect(await ended).toMatchObject({ jobId, status: 'done' })
  const doneEvent = log.find((e) => e.name === 'train:done')
  if (doneEvent?.name !== 'train:done') throw new Error('no train:done event')
  done = doneEvent.payload
}, 300_000)

afterAll(() => {
  client?.close()
  service?.close()
  project?.remove()
})

describe('train:start on a real small project', () => {
  it('reports extraction progress, then each epoch in order, then train:done, then job:ended', () => {
    const order = log.map((e) => (e.name === 'job:progress' ? `progress:${e.payload.phase}` : e.name))
    const epochs = log.flatMap((e) => (e.name === 'train:epoch' ? [e.payload] : []))
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3])
    expect(order[0]).toBe('progress:starting')
    const firstExtract = order.indexOf('progress:extract')
    const firstEpoch = order.indexOf('train:epoch')
    const doneAt = order.indexOf('train:done')
    expect(firstExtract).toBeGreaterThan(0)
    expect(firstEpoch).toBeGreaterThan(firstExtract)
    expect(doneAt).toBeGreaterThan(order.lastIndexOf('train:epoch'))
    expect(order.at(-1)).toBe('job:ended')
    // Every epoch is its own message, followed by the job's progress in epochs.
    const trainProgress = log.flatMap((e) => (e.name === 'job:progress' && e.payload.phase === 'train' ? [e.payload] : []))
    expect(trainProgress.map((p) => [p.done, p.total])).toEqual([[1, 3], [2, 3], [3, 3]])
    const extract = log.flatMap((e) => (e.name === 'job:progress' && e.payload.phase === 'extract' ? [e.payload] : []))
    expect(extract.at(-1)).toMatchObject({ done: 64, total: 64 })
    expect(extract.every((p) => p.jobId === done.jobId && p.kind === 'train')).toBe(true)
  })

  it('sends epochs with finite losses and per-epoch times', () => {
    const epochs: TrainEpoch[] = log.flatMap((e) => (e.name === 'train:epoch' ? [e.payload] : []))
    for (const e of epochs) {
      expect(e.jobId).toBe(done.jobId)
      expect(Number.isFinite(e.loss) && e.loss > 0).toBe(true)
      expect(e.valLoss).toEqual(expect.any(Number))
      expect(e.valExactMatch).toBeGreaterThanOrEqual(0)
      expect(e.seconds).toBeGreaterThan(0)
    }
  })

  it('reports the stored run, its timings, backend, engine and validation metrics', async () => {
    // No engine asked for: the one train:backends names as the default extracted the features.
    expect(done.engine).toBe((await client.invoke('train:backends', {})).engine)
    expect(done).toMatchObject({
      project: project.file,
      rows: { train: 48, val: 16, valSource: 'val' },
      extraction: { total: 64, cached: 0, computed: 64, skipped: 0 },
      backend: expect.stringMatching(/wasm|tensorflow|cpu/),
      device: expect.stringContaining('CPU'),
    })
    expect(done.extractSeconds).toBeGreaterThan(0)
    expect(done.trainSeconds).toBeGreaterThan(0)
    expect(done.metrics.n).toBe(16)
    expect(Object.keys(done.metrics.perLabel)).toHaveLength(11)
  })

  it('shows the running training to a window that asks while it runs, and nothing after', async () => {
    expect(statusMidRun).toMatchObject({ jobId: done.jobId, project: project.file, epochs: EPOCHS, settings: { epochs: EPOCHS, seed: 7 } })
    expect(statusMidRun?.history.length).toBeGreaterThanOrEqual(1)
    expect(await client.invoke('train:current', {})).toBeNull()
  })

  it('trains on the labels as they were when Train was pressed', () => {
    const reader = Project.open(project.file)
    try {
      const run = getRun(reader.db, done.runId)
      expect(run.labelSnapshot).toBe(labelSnapshot(reader.labels(), rowsAtStart))
      expect(run.labelSnapshot).not.toBe(labelSnapshot(reader.labels(), reader.images()))
    } finally {
      reader.close()
    }
  })

  it('lists the run, gives its detail with the epoch history, and deletes it', async () => {
    const epochs = log.flatMap((e) => (e.name === 'train:epoch' ? [e.payload] : []))
    const runs = await client.invoke('train:runs', {})
    expect(runs.map((r) => r.id)).toEqual([done.runId])
    // No team member asked: the run is the OS account's.
    expect(runs[0]).toMatchObject({ backbone: 'nsfwjs-mobilenetv2', config: { epochs: EPOCHS, seed: 7 }, metrics: { n: 16 }, author: osAccountName() })
    expect(runs[0]?.metrics).not.toHaveProperty('perLabel')
    const detail = await client.invoke('train:run', { id: done.runId })
    expect(detail.history).toEqual(epochs.map(({ jobId: _jobId, ...e }) => e))
    expect(detail.metrics).toEqual(done.metrics)
    expect(detail.author).toBe(osAccountName())
    expect(detail).not.toHaveProperty('head')
    expect(await client.invoke('train:delete', { id: done.runId })).toEqual([])
    await expect(client.invoke('train:run', { id: done.runId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('retrains from cached features on the engine asked for, and refuses a second training while one runs', async () => {
    const ended = nextEvent(client, 'job:ended', (e) => e.kind === 'train')
    const second = nextEvent(client, 'train:done')
    const { jobId } = await client.invoke('train:start', { epochs: 2, engine: 'wasm' })
    await expect(client.invoke('train:start', { epochs: 2 })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(jobId) })
    const end: JobEnded = await ended
    expect(end).toMatchObject({ jobId, status: 'done' })
    const outcome = await second
    expect(outcome.extraction).toEqual({ total: 64, cached: 64, computed: 0, skipped: 0 })
    // settings.engine reached the job: every feature was cached, so the engine named is the one chosen.
    expect(outcome.engine).toBe('wasm')
  }, 120_000)
})
