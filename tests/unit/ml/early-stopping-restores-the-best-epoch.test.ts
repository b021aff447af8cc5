import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { predictProbabilities } from '../../../src-main/core/ml/head.ts'
import { labelMatrix, selectRows } from '../../../src-main/core/ml/label-matrix.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { trainHead, type TrainInput } from '../../../src-main/core/ml/train.ts'
import { range, syntheticProblem } from './helpers.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

// Few training rows with 30 % of their cells flipped, and many features: the head learns the signal,
// then the noise, and the validation loss turns up again.
const DIM = 48
const { x, labels: clean } = syntheticProblem(120, DIM, 4, 3)
const flip = makeRng(9)
const labels = labelMatrix(
  Array.from({ length: 120 }, (_, r) =>
    Array.from({ length: 4 }, (_, j) => {
      const v = clean.values[r * 4 + j] === 1 ? 1 : 0
      return r < 30 && flip() < 0.3 ? 1 - v : v
    }),
  ) as Array<Array<0 | 1>>,
  4,
)
const input: TrainInput = { x, dim: DIM, labels, trainRows: range(0, 30), valRows: range(30, 120) }
const settings = { epochs: 60, learningRate: 0.005, batchSize: 8, l2: 0, hiddenUnits: 32, dropout: 0.2, seed: 4 }

/** Masked mean binary cross-entropy of probabilities, as the validation loss is defined. */
function valLossOf(probs: Float32Array): number {
  const truth = selectRows(labels, input.valRows)
  let sum = 0
  let known = 0
  probs.forEach((p, i) => {
    if (truth.mask[i] === 0) return
    sum -= truth.values[i] === 1 ? Math.log(p) : Math.log(1 - p)
    known++
  })
  return sum / known
}

function rawRows(rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * DIM)
  rows.forEach((r, i) => out.set(x.subarray(r * DIM, (r + 1) * DIM), i * DIM))
  return out
}

describe('early stopping on the validation loss', () => {
  it('stops `patience` epochs after the best one and returns the best epoch’s head', async () => {
    const r = await trainHead(input, { ...settings, earlyStopping: true, patience: 4 })
    const losses = r.history.map((h) => h.valLoss as number)
    const best = r.bestEpoch as number
    expect(best).toBeGreaterThan(1)
    expect(r.history).toHaveLength(best + 4)
    expect(r.history.length).toBeLessThan(settings.epochs)
    expect(Math.min(...losses)).toBe(losses[best - 1])
    // The head returned is the best epoch's: its validation loss is that epoch's, not the last one's.
    const probs = predictProbabilities(r.head, rawRows(input.valRows), input.valRows.length)
    expect(valLossOf(probs)).toBeCloseTo(losses[best - 1] as number, 4)
    expect(valLossOf(r.valProbs)).toBeCloseTo(losses[best - 1] as number, 4)
    expect(valLossOf(probs) - (losses.at(-1) as number)).toBeLessThan(-1e-3)
    expect(r.head.hidden?.units).toBe(32)
  })

  it('trains every epoch and keeps the last without it, or without validation rows', async () => {
    const off = await trainHead(input, { ...settings, epochs: 12, earlyStopping: false, patience: 1 })
    expect(off.history).toHaveLength(12)
    expect(off.bestEpoch).toBeNull()
    const noVal = await trainHead({ ...input, valRows: [] }, { ...settings, epochs: 12, earlyStopping: true, patience: 1 })
    expect(noVal.history).toHaveLength(12)
    expect(noVal.bestEpoch).toBeNull()
  })

  it('works the same for a linear head', async () => {
    const r = await trainHead(input, { ...settings, hiddenUnits: 0, earlyStopping: true, patience: 3 })
    const best = r.bestEpoch as number
    expect(r.history).toHaveLength(best + 3)
    expect(r.head.hidden).toBeUndefined()
    expect(valLossOf(r.valProbs)).toBeCloseTo(r.history[best - 1]?.valLoss as number, 4)
  })
})
