import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { cachedHashes, loadFeatureMatrix, putFeatures } from '../../../src-main/core/ml/feature-cache.ts'
import { deleteRun, getRun, insertRun, listRuns, type NewRun } from '../../../src-main/core/ml/runs.ts'
import { DEFAULT_TRAIN_CONFIG } from '../../../src-main/core/ml/train.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-0020-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const run = (): NewRun => ({
  config: { ...DEFAULT_TRAIN_CONFIG, epochs: 3 },
  backbone: { id: 'b', key: 'b:l1', name: 'B', source: 'bundled', featureLayers: ['l1'], inputSize: 224, normalisation: { mean: [0, 0, 0], std: [1, 1, 1] }, prep: 1001 },
  labels: ['a', 'b'],
  labelSnapshot: 'f'.repeat(64),
  history: [{ epoch: 1, loss: 0.5, valLoss: 0.6, valExactMatch: 0.25, seconds: 0.1 }],
  metrics: { n: 4, exactMatch: 0.25, hammingAccuracy: 0.5, macroF1: 0.4, microF1: 0.45, mAP: 0.6, perLabel: {} },
  thresholds: [0.5, 0.4],
  groups: [['a', 'b']],
  backend: 'cpu',
  head: {
    dim: 3,
    numLabels: 2,
    mean: Float32Array.from([1, 2, 3]),
    scale: Float32Array.from([0.5, 1, 2]),
    kernel: Float32Array.from([1, 2, 3, 4, 5, 6]),
    bias: Float32Array.from([-1, 1]),
  },
  timings: { extractSeconds: 1.5, trainSeconds: 0.5 },
})

describe('migration 0020: features and runs', () => {
  it('stores features per (hash, backbone, prep) and reads them back as a matrix', () => {
    const db = openDatabase(path.join(dir, 'features.tagsmith'))
    putFeatures(db, 'b:l1', 1001, [
      { hash: 'h1', data: Float32Array.from([1, 2]) },
      { hash: 'h2', data: Float32Array.from([3, 4]) },
    ])
    putFeatures(db, 'b:l1', 1002, [{ hash: 'h3', data: Float32Array.from([9, 9]) }])
    expect([...cachedHashes(db, 'b:l1', 1001, ['h1', 'h2', 'h3'])]).toEqual(['h1', 'h2'])
    const m = loadFeatureMatrix(db, 'b:l1', 1001, ['h2', 'hx', 'h1'])
    expect(m.dim).toBe(2)
    expect(Array.from(m.x)).toEqual([3, 4, 0, 0, 1, 2])
    expect([...m.missing]).toEqual([1])
    db.close()
  })

  it('round-trips a run with its weights, and deleting it removes its predictions', () => {
    const db = openDatabase(path.join(dir, 'runs.tagsmith'))
    const id = insertRun(db, run())
    const back = getRun(db, id)
    expect(back).toMatchObject({ id, labels: ['a', 'b'], thresholds: [0.5, 0.4], groups: [['a', 'b']], backend: 'cpu' })
    expect(Array.from(back.head.kernel)).toEqual([1, 2, 3, 4, 5, 6])
    expect(Array.from(back.head.scale)).toEqual([0.5, 1, 2])
    expect(back.head.numLabels).toBe(2)
    expect(getRun(db).id).toBe(id)
    expect(listRuns(db)).toHaveLength(1)
    db.prepare('INSERT INTO run_predictions (run_id, image_id, probs) VALUES (?, 1, ?)').run(id, Buffer.alloc(8))
    deleteRun(db, id)
    expect(db.prepare('SELECT count(*) FROM run_predictions').pluck().get()).toBe(0)
    expect(() => getRun(db)).toThrow(/no trained run/)
    db.close()
  })
})
