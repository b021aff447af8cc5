import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Service } from '../../../src-main/core/service/index.ts'
import { closestCall, orderUncertain } from '../../../src-main/core/quality/uncertainty.ts'
import { FakeClient } from '../service/fake-transport.ts'
import { addRun, handMadeProject, type HandMade } from './hand-made-project.ts'

const LABELS = ['a', 'b', 'c']
const THRESHOLDS = [0.5, 0.5, 0.3]
const ROWS = [
  { path: 'img/far.jpg', cells: ['0', '0', '1'], probs: [0.02, 0.02, 0.98] },
  { path: 'img/close-c.jpg', cells: ['1', '0', '0'], probs: [0.9, 0.1, 0.35] }, // |logit .35 - logit .3| = 0.228
  { path: 'img/closest-a.jpg', cells: ['0', '1', '0'], probs: [0.45, 0.9, 0.05] }, // |logit .45| = 0.201
  { path: 'img/one-empty.jpg', cells: ['1', '', '0'], probs: [0.9, 0.5, 0.1] },
  { path: 'img/all-empty.jpg', cells: ['', '', ''], probs: [0.2, 0.2, 0.9] },
  { path: 'img/no-probabilities.jpg', cells: ['1', '0', '0'] },
  { path: 'img/missing.jpg', cells: ['', '1', '0'], missing: true },
]

let made: HandMade
let service: Service
let client: FakeClient
let runId: number

beforeAll(async () => {
  made = await handMadeProject(LABELS, ROWS)
  const probs = Object.fromEntries(ROWS.flatMap((r) => (r.probs ? [[r.path, r.probs]] : [])))
  runId = addRun(made, LABELS, probs, THRESHOLDS)
  const configDir = join(made.dir, 'config')
  mkdirSync(configDir)
  service = new Service({ configDir, mode: 'web', version: '0.0.0-test' })
  client = new FakeClient(service, 'ui')
  await client.invoke('project:open', { file: made.file })
})

afterAll(() => {
  client?.close()
  service?.close()
  made?.remove()
})

const id = (path: string): number => made.ids.get(path) ?? -1

describe('the uncertainty queue', () => {
  it('orders images with empty cells first (most first), then by the smallest distance to a threshold in logits', async () => {
    const queue = await client.invoke('quality:uncertain', {})
    expect(queue.items.map((i) => i.image)).toEqual(['img/all-empty.jpg', 'img/one-empty.jpg', 'img/closest-a.jpg', 'img/close-c.jpg', 'img/far.jpg'])
    expect(queue).toMatchObject({ runId, total: 5, confirmed: 0 })
    const [allEmpty, oneEmpty, closest, close] = queue.items
    expect(allEmpty).toMatchObject({ unlabelled: ['a', 'b', 'c'], margin: 0 })
    expect(oneEmpty).toMatchObject({ unlabelled: ['b'], label: 'b', margin: 0 })
    expect(closest).toMatchObject({ unlabelled: [], label: 'a', threshold: 0.5 })
    expect(closest?.probability).toBeCloseTo(0.45, 6)
    expect(closest?.margin).toBeCloseTo(Math.abs(Math.log(0.45 / 0.55)), 5)
    expect(close).toMatchObject({ label: 'c', threshold: 0.3 })
    expect(close?.margin).toBeCloseTo(Math.abs(Math.log(0.35 / 0.65) - Math.log(0.3 / 0.7)), 5)
  })

  it('limits the items, counting the whole queue', async () => {
    const queue = await client.invoke('quality:uncertain', { limit: 2 })
    expect(queue.items.map((i) => i.image)).toEqual(['img/all-empty.jpg', 'img/one-empty.jpg'])
    expect(queue.total).toBe(5)
  })

  it('leaves a confirmed image out until a newer run exists', async () => {
    expect(await client.invoke('quality:confirm', { runId, imageId: id('img/closest-a.jpg') })).toEqual({ confirmed: 1 })
    expect(await client.invoke('quality:confirm', { runId, imageId: id('img/closest-a.jpg') })).toEqual({ confirmed: 1 })
    const after = await client.invoke('quality:uncertain', { runId })
    expect(after.items.map((i) => i.image)).toEqual(['img/all-empty.jpg', 'img/one-empty.jpg', 'img/close-c.jpg', 'img/far.jpg'])
    expect(after).toMatchObject({ total: 4, confirmed: 1 })

    const newer = addRun(made, LABELS, Object.fromEntries(ROWS.flatMap((r) => (r.probs ? [[r.path, r.probs]] : []))), THRESHOLDS)
    const fresh = await client.invoke('quality:uncertain', {})
    expect(fresh).toMatchObject({ runId: newer, total: 5, confirmed: 0 })
    expect(fresh.items[2]?.image).toBe('img/closest-a.jpg')
    expect((await client.invoke('quality:uncertain', { runId })).total).toBe(4)
  })

  it('orders by hand-made candidates: ties by image id, no probabilities after those with them', () => {
    const call = (margin: number): { label: number; probability: number; threshold: number; margin: number } => ({ label: 0, probability: 0.5, threshold: 0.5, margin })
    const ordered = orderUncertain([
      { imageId: 5, emptyCells: 0, call: call(0.3) },
      { imageId: 4, emptyCells: 1, call: null },
      { imageId: 3, emptyCells: 0, call: call(0.1) },
      { imageId: 2, emptyCells: 1, call: call(2) },
      { imageId: 1, emptyCells: 0, call: call(0.1) },
    ])
    expect(ordered.map((c) => c.imageId)).toEqual([2, 4, 1, 3, 5])
    expect(closestCall([0.9, 0.52, 0.1], 0, [0.5, 0.5, 0.5])).toMatchObject({ label: 1, probability: 0.52 })
  })
})
