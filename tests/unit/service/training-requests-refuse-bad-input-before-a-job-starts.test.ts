import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { FakeClient } from './fake-transport.ts'
import { serviceIn, trainingProject } from './training-project.ts'

// Requests that cannot train answer at once with a clear error, and no job (no child process) starts.
let project: Awaited<ReturnType<typeof trainingProject>>
let service: Service
let client: FakeClient
const progress: JobProgress[] = []
const ended: JobEnded[] = []

beforeAll(async () => {
  project = await trainingProject(6, 2)
  service = serviceIn(project.dir)
  client = new FakeClient(service, 'ui')
  client.on('job:progress', (p) => progress.push(p))
  client.on('job:ended', (e) => ended.push(e))
}, 60_000)

afterAll(() => {
  client?.close()
  service?.close()
  project?.remove()
})

describe('training requests refuse what cannot work', () => {
  it('needs an open project', async () => {
    for (const name of ['train:start', 'train:runs'] as const) {
      await expect(client.invoke(name, {})).rejects.toEqual({ code: 'CONFLICT', message: 'no project is open' })
    }
    await expect(client.invoke('train:run', { id: 1 })).rejects.toMatchObject({ code: 'CONFLICT' })
  })

  it('refuses settings out of range, naming the field', async () => {
    await client.invoke('project:open', { file: project.file })
    const cases: Array<[unknown, string]> = [
      [{ epochs: 0 }, 'epochs'],
      [{ epochs: 100_000 }, 'epochs'],
      [{ learningRate: 5 }, 'learningRate'],
      [{ batchSize: 1.5 }, 'batchSize'],
      [{ seed: 2 ** 40 }, 'seed'],
      [{ l2: Number.NaN }, 'l2'],
      [{ epochs: 5, momentum: 0.9 }, 'momentum'],
    ]
    for (const [input, field] of cases) {
      const error = await client.invokeRaw('train:start', input).then(
        () => expect.unreachable(`accepted ${JSON.stringify(input)}`),
        (err: unknown) => err,
      )
      expect(error, JSON.stringify(input)).toEqual({ code: 'BAD_INPUT', message: expect.stringContaining(field) })
    }
  })

  it('refuses an unknown backbone, listing the catalog', async () => {
    await expect(client.invoke('train:start', { backbone: 'resnet-9000' })).rejects.toEqual({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/unknown backbone "resnet-9000".*nsfwjs-mobilenetv2/),
    })
  })

  it('refuses a project without readable training rows', async () => {
    const rows = await client.invoke('images:list', {})
    await client.invoke('split:set', { imageIds: rows.filter((r) => r.split === 'train').map((r) => r.id), split: 'test' })
    await expect(client.invoke('train:start', {})).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('train split') })
  })

  it('answers NOT_FOUND for a run that does not exist', async () => {
    await expect(client.invoke('train:run', { id: 99 })).rejects.toEqual({ code: 'NOT_FOUND', message: 'no run 99 in this project' })
    await expect(client.invoke('train:delete', { id: 99 })).rejects.toEqual({ code: 'NOT_FOUND', message: 'no run 99 in this project' })
    expect(await client.invoke('train:runs', {})).toEqual([])
  })

  it('started no job for any of these', () => {
    expect(progress).toEqual([])
    expect(ended).toEqual([])
  })

  it('names the backend and device, the catalog and the default settings', async () => {
    const backends = await client.invoke('train:backends', {})
    expect(backends.backend.backend).toMatch(/wasm|tensorflow|cpu/)
    expect(backends.backend.device).toMatch(/CPU|GPU/)
    expect(backends.defaultBackbone).toBe('nsfwjs-mobilenetv2')
    expect(backends.backbones.map((b) => b.id)).toContain('nsfwjs-mobilenetv2')
    expect(backends.backbones.find((b) => b.id === 'nsfwjs-mobilenetv2')).toMatchObject({ source: 'bundled', inputSize: 224 })
    expect(backends.defaults).toEqual({
      epochs: expect.any(Number),
      learningRate: expect.any(Number),
      batchSize: expect.any(Number),
      l2: expect.any(Number),
      classWeighting: false,
      seed: expect.any(Number),
      hiddenUnits: expect.any(Number),
      dropout: expect.any(Number),
      earlyStopping: expect.any(Boolean),
      patience: expect.any(Number),
    })
    // Asked once per service: the second answer comes from memory.
    const again = performance.now()
    expect(await client.invoke('train:backends', {})).toEqual(backends)
    expect(performance.now() - again).toBeLessThan(500)
  }, 60_000)
})
