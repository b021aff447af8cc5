import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { getPredictions, hasPredictions, putPredictions } from '../../../src-main/core/ml/run-predictions.ts'
import { deleteRun, getRun, insertRun, setRunThresholds, type NewRun } from '../../../src-main/core/ml/runs.ts'
import { DEFAULT_TRAIN_CONFIG } from '../../../src-main/core/ml/train.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-0030-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

const run = (): NewRun => ({
  config: { ...DEFAULT_TRAIN_CONFIG, epochs: 1 },
  backbone: { id: 'b', key: 'b:l1', name: 'B', source: 'bundled', featureLayers: ['l1'], inputSize: 8, normalisation: { mean: [0, 0, 0], std: [1, 1, 1] }, prep: 1001 },
  labels: ['a', 'b'],
  labelSnapshot: '0'.repeat(64),
  history: [],
  metrics: { n: 0, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} },
  thresholds: [0.5, 0.5],
  groups: null,
  backend: 'cpu',
  head: { dim: 1, numLabels: 2, mean: Float32Array.from([0]), scale: Float32Array.from([1]), kernel: Float32Array.from([1, 2]), bias: Float32Array.from([0, 0]) },
  timings: { extractSeconds: 0, trainSeconds: 0 },
})

describe('migration 0030: prediction sources and tuned thresholds', () => {
  it('stores a run’s probabilities with their source, replaces them whole and drops them with the run', () => {
    const db = openDatabase(path.join(dir, 'predictions.tagsmith'))
    const id = insertRun(db, run())
    const other = insertRun(db, run())
    expect(hasPredictions(db, id)).toBe(false)
    expect(getPredictions(db, id, 2)).toBeNull()
    putPredictions(db, id, 2, [
      { imageId: 7, probs: Float32Array.from([0.25, 0.75]), source: 'val' },
      { imageId: 3, probs: Float32Array.from([0.5, 0.125]), source: 'oof' },
      { imageId: 9, probs: Float32Array.from([1, 0]), source: 'unlabelled' },
    ])
    putPredictions(db, other, 2, [{ imageId: 3, probs: Float32Array.from([0, 0]), source: 'test' }])
    const back = getPredictions(db, id, 2)
    expect(back?.imageIds).toEqual([3, 7, 9])
    expect(Array.from(back?.probs ?? [])).toEqual([0.5, 0.125, 0.25, 0.75, 1, 0])
    expect(back?.source).toEqual(['oof', 'val', 'unlabelled'])
    expect(db.prepare('SELECT image_id, out_of_fold FROM run_predictions WHERE run_id = ? ORDER BY image_id').all(id)).toEqual([
      { image_id: 3, out_of_fold: 1 },
      { image_id: 7, out_of_fold: 0 },
      { image_id: 9, out_of_fold: 0 },
    ])

    putPredictions(db, id, 2, [{ imageId: 1, probs: Float32Array.from([0.1, 0.2]), source: 'test' }])
    expect(getPredictions(db, id, 2)?.imageIds).toEqual([1])
    expect(() => putPredictions(db, id, 2, [{ imageId: 2, probs: Float32Array.from([0.1]), source: 'test' }])).toThrow(/1 probabilities for 2 labels/)
    expect(getPredictions(db, id, 2)?.imageIds).toEqual([1])
    expect(() => db.prepare("INSERT INTO run_predictions (run_id, image_id, probs, source) VALUES (?, 5, x'00', 'train')").run(id)).toThrow(/CHECK/)

    deleteRun(db, id)
    expect(db.prepare('SELECT count(*) FROM run_predictions WHERE run_id = ?').pluck().get(id)).toBe(0)
    expect(getPredictions(db, other, 2)?.imageIds).toEqual([3])
    db.close()
  })

  it('keeps current and last tuned thresholds apart', () => {
    const db = openDatabase(path.join(dir, 'thresholds.tagsmith'))
    const id = insertRun(db, run())
    expect(getRun(db, id)).toMatchObject({ thresholds: [0.5, 0.5], tunedThresholds: null })
    setRunThresholds(db, id, [0.3, 0.6], { tuned: true })
    expect(getRun(db, id)).toMatchObject({ thresholds: [0.3, 0.6], tunedThresholds: [0.3, 0.6] })
    setRunThresholds(db, id, [0.4, 0.6])
    expect(getRun(db, id)).toMatchObject({ thresholds: [0.4, 0.6], tunedThresholds: [0.3, 0.6] })
    expect(() => setRunThresholds(db, 99, [0.5, 0.5])).toThrow(/no run 99/)
    db.close()
  })
})
