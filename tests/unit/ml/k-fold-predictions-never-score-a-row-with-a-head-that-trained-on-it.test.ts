import { describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { predictProbabilities } from '../../../src-main/core/ml/head.ts'
import { kFolds } from '../../../src-main/core/ml/kfold.ts'
import { labelMatrix } from '../../../src-main/core/ml/label-matrix.ts'
import { predictAll } from '../../../src-main/core/ml/predict-all.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { trainHead } from '../../../src-main/core/ml/train.ts'
import { range } from './helpers.ts'

/** Labels that are pure noise: a head can memorise them, never predict them. */
function noise(rows: number, dim: number, cols: number, seed: number): { x: Float32Array; labels: Array<Array<0 | 1 | null>> } {
  const rng = makeRng(seed)
  const x = Float32Array.from({ length: rows * dim }, () => rng() * 2 - 1)
  const labels = Array.from({ length: rows }, () => Array.from({ length: cols }, () => (rng() < 0.5 ? 1 : 0) as 0 | 1))
  return { x, labels }
}

function accuracy(probs: Float32Array, labels: ReadonlyArray<ReadonlyArray<0 | 1 | null>>, rows: readonly number[], cols: number, at: (i: number) => number): number {
  let right = 0
  let known = 0
  rows.forEach((r, i) => {
    for (let j = 0; j < cols; j++) {
      const y = labels[r]?.[j]
      if (y === null || y === undefined) continue
      known++
      if (((probs[at(i) * cols + j] as number) >= 0.5 ? 1 : 0) === y) right++
    }
  })
  return right / known
}

describe('k-fold folds', () => {
  it('hold out every row exactly once, never in their own training part, in sizes within one', () => {
    const rows = range(0, 103).map((r) => r * 2)
    const folds = kFolds(rows, 5, 7)
    expect(folds).toHaveLength(5)
    const held = folds.flatMap((f) => f.held)
    expect([...held].sort((a, b) => a - b)).toEqual(rows)
    for (const f of folds) {
      const train = new Set(f.train)
      expect(f.held.some((r) => train.has(r))).toBe(false)
      expect(f.train.length + f.held.length).toBe(rows.length)
    }
    const sizes = folds.map((f) => f.held.length)
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    expect(kFolds(rows, 5, 7)).toEqual(folds)
    expect(kFolds(rows, 5, 8)).not.toEqual(folds)
    expect(kFolds([1, 2, 3], 5, 1)).toHaveLength(3)
  })
})

describe('predictions of every row', () => {
  it('score training rows out of fold: memorised noise is near chance there, near perfect in sample', async () => {
    await initBackend()
    const rows = 80
    const cols = 3
    const { x, labels } = noise(rows, 64, cols, 3)
    labels[79] = [null, null, null] // a training row with no label
    const m = labelMatrix(labels, cols)
    const trainRows = range(0, 60).concat([79])
    const valRows = range(60, 79)
    // Every epoch trained, so the final head memorises its rows.
    const config = { epochs: 80, learningRate: 0.05, l2: 0, seed: 5, earlyStopping: false }
    const final = await trainHead({ x, dim: 64, labels: m, trainRows, valRows }, config)
    const all = await predictAll({ x, dim: 64, labels: m, trainRows, valRows, head: final.head, config, folds: 5 })

    expect(all.source.slice(0, 60)).toEqual(range(0, 60).map(() => 'oof'))
    expect(all.source.slice(60, 79)).toEqual(range(60, 79).map(() => 'val'))
    expect(all.source[79]).toBe('unlabelled')
    expect(new Set(all.folds.flatMap((f) => f.held))).toEqual(new Set(range(0, 60)))

    // The final head memorised its training rows; a head that never saw a row cannot know its noise.
    const train = range(0, 60)
    const inSample = predictProbabilities(final.head, x.slice(0, 60 * 64), 60)
    expect(accuracy(inSample, labels, train, cols, (i) => i)).toBeGreaterThan(0.95)
    expect(accuracy(all.probs, labels, train, cols, (i) => train[i] as number)).toBeLessThan(0.65)

    // Each held row carries exactly the probabilities of its own fold's head (same settings, its seed).
    const [fold] = all.folds
    if (!fold) throw new Error('no folds')
    const again = await trainHead({ x, dim: 64, labels: m, trainRows: fold.train, valRows: [] }, { ...config, seed: config.seed + 1 })
    const held = predictProbabilities(again.head, Float32Array.from(fold.held.flatMap((r) => Array.from(x.subarray(r * 64, (r + 1) * 64)))), fold.held.length)
    fold.held.forEach((r, i) => {
      for (let j = 0; j < cols; j++) expect(all.probs[r * cols + j]).toBeCloseTo(held[i * cols + j] as number, 5)
    })

    // Validation and unlabelled rows: the final head's own probabilities.
    const finalRest = predictProbabilities(final.head, x.slice(60 * 64), 20)
    expect(Array.from(all.probs.slice(60 * cols))).toEqual(Array.from(finalRest))
  })

  it('trains the fold heads, which have no validation rows, for the epochs the final head kept', async () => {
    await initBackend()
    const { x, labels } = noise(40, 8, 2, 4)
    const m = labelMatrix(labels, 2)
    const trainRows = range(0, 30)
    const valRows = range(30, 40)
    const config = { epochs: 30, learningRate: 0.05, seed: 6, earlyStopping: true, patience: 2, hiddenUnits: 8 }
    const final = await trainHead({ x, dim: 8, labels: m, trainRows, valRows }, config)
    expect(final.bestEpoch).not.toBeNull()
    const best = final.bestEpoch as number
    let total = 0
    const all = await predictAll({ x, dim: 8, labels: m, trainRows, valRows, head: final.head, config, bestEpoch: best, folds: 3 }, { onProgress: (p) => (total = p.total) })
    expect(total).toBe(3 * best)
    const [fold] = all.folds
    if (!fold) throw new Error('no folds')
    const again = await trainHead({ x, dim: 8, labels: m, trainRows: fold.train, valRows: [] }, { ...config, epochs: best, seed: config.seed + 1 })
    expect(again.history).toHaveLength(best)
    const held = predictProbabilities(again.head, Float32Array.from(fold.held.flatMap((r) => Array.from(x.subarray(r * 8, (r + 1) * 8)))), fold.held.length)
    fold.held.forEach((r, i) => {
      for (let j = 0; j < 2; j++) expect(all.probs[r * 2 + j]).toBeCloseTo(held[i * 2 + j] as number, 5)
    })
  })

  it('reports k-fold progress in epochs and stores nothing for a lone labelled training row', async () => {
    await initBackend()
    const { x, labels } = noise(6, 4, 2, 9)
    const m = labelMatrix(labels, 2)
    const final = await trainHead({ x, dim: 4, labels: m, trainRows: [0], valRows: [1, 2] }, { epochs: 2 })
    const progress: number[] = []
    const all = await predictAll(
      { x, dim: 4, labels: m, trainRows: [0], valRows: [1, 2], head: final.head, config: { epochs: 2 } },
      { onProgress: (p) => progress.push(p.done) },
    )
    expect(all.source).toEqual([null, 'val', 'val', 'test', 'test', 'test'])
    expect(all.folds).toEqual([])

    const many = await predictAll({ x, dim: 4, labels: m, trainRows: [0, 1, 2, 3], valRows: [4, 5], head: final.head, config: { epochs: 3 }, folds: 2 }, {
      onProgress: (p) => progress.push(p.total),
    })
    expect(many.source).toEqual(['oof', 'oof', 'oof', 'oof', 'val', 'val'])
    expect(progress.at(-1)).toBe(6)
  })
})
