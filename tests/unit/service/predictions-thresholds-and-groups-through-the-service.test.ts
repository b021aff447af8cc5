import Database from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageRow, Predictions } from '../../../src-preload/contract.ts'
import { openOnnxClassifier } from '../../../src-main/core/ml/onnx/classifier.ts'
import { labelMatrix } from '../../../src-main/core/ml/label-matrix.ts'
import { tuneThresholds } from '../../../src-main/core/ml/thresholds.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { FakeClient } from './fake-transport.ts'
import { nextEvent, recordEvents, serviceIn, trainingProject } from './training-project.ts'

// A real run through the service on 60 train + 30 val fixture images, then its predictions, thresholds
// and groups as the review UI asks for them.
let project: Awaited<ReturnType<typeof trainingProject>>
let service: Service
let client: FakeClient
let runId: number
let rows: ImageRow[]
let first: Predictions

beforeAll(async () => {
  project = await trainingProject(60, 30)
  service = serviceIn(project.dir)
  client = new FakeClient(service, 'ui')
  await client.invoke('project:open', { file: project.file })
  const done = nextEvent(client, 'train:done')
  await client.invoke('train:start', { epochs: 8, seed: 3 })
  runId = (await done).runId
  rows = await client.invoke('images:list', {})
  first = await client.invoke('predict:get', {})
}, 300_000)

afterAll(() => {
  client?.close()
  service?.close()
  project?.remove()
})

function valTruth(p: Predictions): { probs: Float32Array; truth: ReturnType<typeof labelMatrix> } {
  const byId = new Map(rows.map((r) => [r.id, r]))
  const cols = p.labels.length
  const probs: number[] = []
  const labels: Array<Array<0 | 1 | null>> = []
  p.imageIds.forEach((id, i) => {
    if (p.source[i] !== 'val') return
    probs.push(...p.probs.slice(i * cols, (i + 1) * cols))
    labels.push(byId.get(id)?.labels ?? [])
  })
  return { probs: Float32Array.from(probs), truth: labelMatrix(labels, cols) }
}

describe('predictions through the service', () => {
  it('answers every image of the run with out-of-fold training rows and validation rows', () => {
    expect(first.runId).toBe(runId)
    expect(first.labels).toEqual(['black', 'blue', 'brown', 'green', 'red', 'white', 'dress', 'shirt', 'pants', 'shorts', 'shoes'])
    expect([...first.imageIds].sort((a, b) => a - b)).toEqual(rows.map((r) => r.id).sort((a, b) => a - b))
    expect(first.probs).toHaveLength(90 * 11)
    expect(first.probs.every((p) => p >= 0 && p <= 1)).toBe(true)
    const splitOf = new Map(rows.map((r) => [r.id, r.split]))
    expect(first.imageIds.map((id, i) => `${splitOf.get(id)}:${first.source[i]}`).sort()).toEqual([
      ...Array<string>(60).fill('train:oof'),
      ...Array<string>(30).fill('val:val'),
    ])
    expect(first).toMatchObject({ thresholds: Array<number>(11).fill(0.5), tuned: null, groups: [] })
  })

  it('tunes thresholds for F1 on the validation rows, makes them current, and keeps them apart from a hand-set one', async () => {
    const { thresholds } = await client.invoke('thresholds:tune', { runId, target: 'f1' })
    const { probs, truth } = valTruth(first)
    expect(thresholds).toEqual(Array.from(tuneThresholds(probs, truth, 0.5)))
    expect(await client.invoke('predict:get', { runId })).toMatchObject({ thresholds, tuned: thresholds })
    const run = await client.invoke('train:run', { id: runId })
    expect(run.thresholds).toEqual(thresholds)

    const moved = thresholds.map((t, j) => (j === 0 ? 0.9 : t))
    expect(await client.invoke('thresholds:set', { runId, thresholds: moved })).toEqual({ thresholds: moved })
    expect(await client.invoke('predict:get', { runId })).toMatchObject({ thresholds: moved, tuned: thresholds })
    await expect(client.invoke('thresholds:set', { runId, thresholds: [0.5] })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/11 labels; got 1/) })
    await expect(client.invoke('thresholds:set', { runId: runId + 100, thresholds: moved })).rejects.toMatchObject({ code: 'NOT_FOUND' })

    const strict = await client.invoke('thresholds:tune', { runId, target: 'precision', precision: 0.95 })
    expect(strict.thresholds).toHaveLength(11)
    expect(strict.thresholds.some((t, j) => t !== thresholds[j])).toBe(true)
  })

  it('answers the project’s groups with the predictions', async () => {
    await client.invoke('groups:set', { groups: [['black', 'blue', 'brown', 'green', 'red', 'white'], ['dress', 'shirt', 'pants', 'shorts', 'shoes']] })
    expect((await client.invoke('predict:get', {})).groups).toEqual([
      ['black', 'blue', 'brown', 'green', 'red', 'white'],
      ['dress', 'shirt', 'pants', 'shorts', 'shoes'],
    ])
  })

  it('computes them again as a job for a run stored without them: the same numbers', async () => {
    const db = new Database(project.file)
    db.prepare('DELETE FROM run_predictions WHERE run_id = ?').run(runId)
    db.close()
    const log = recordEvents(client, ['job:progress', 'job:ended'])
    const again = await client.invoke('predict:get', { runId })
    expect(log.filter((e) => e.name === 'job:progress').length).toBeGreaterThan(0)
    expect(log.at(-1)).toMatchObject({ name: 'job:ended', payload: { kind: 'predict', status: 'done' } })
    expect(again.imageIds).toEqual(first.imageIds)
    expect(again.source).toEqual(first.source)
    again.probs.forEach((p, k) => expect(Math.abs(p - (first.probs[k] as number))).toBeLessThan(1e-5))
  }, 120_000)

  it('exports the run as a job with progress, answering the folder, its files, the check and the checked ONNX file', async () => {
    const log = recordEvents(client, ['job:progress', 'job:ended'])
    const outDir = join(project.dir, 'model')
    const result = await client.invoke('model:export', { runId, outDir })
    expect(result).toEqual({
      out: outDir,
      files: expect.arrayContaining(['model.json', 'tagsmith.json', 'README.md', 'predict.mjs', 'model.onnx']),
      maxAbsDiff: expect.any(Number),
      onnx: { file: 'model.onnx', maxAbsDiff: expect.any(Number) },
    })
    expect(result.maxAbsDiff).toBeLessThan(1e-4)
    expect(result.onnx?.maxAbsDiff).toBeLessThan(1e-4)
    expect(readdirSync(outDir).sort()).toEqual([...result.files].sort())
    // The real file: ONNX Runtime opens it and it names the run's labels and thresholds.
    const now = await client.invoke('predict:get', { runId })
    const onnx = await openOnnxClassifier(join(outDir, 'model.onnx'), { worker: false, threads: 1 })
    expect(onnx.labels).toEqual(now.labels)
    expect(onnx.metadata).toMatchObject({ thresholds: now.thresholds, groups: now.groups, runId })
    await onnx.dispose()
    const phases = log.flatMap((e) => (e.name === 'job:progress' && e.payload.kind === 'export-model' ? [e.payload.phase] : []))
    expect(phases).toEqual(expect.arrayContaining(['load backbone', 'check', 'onnx']))
    expect(log.at(-1)).toMatchObject({ name: 'job:ended', payload: { kind: 'export-model', status: 'done' } })
    await expect(client.invoke('model:export', { runId: runId + 100, outDir: join(project.dir, 'x') })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  }, 120_000)

  it('deleting the run deletes its predictions', async () => {
    await client.invoke('train:delete', { id: runId })
    const db = new Database(project.file, { readonly: true })
    expect(db.prepare('SELECT count(*) FROM run_predictions WHERE run_id = ?').pluck().get(runId)).toBe(0)
    db.close()
    await expect(client.invoke('predict:get', { runId })).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(client.invoke('thresholds:tune', { runId, target: 'f1' })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
