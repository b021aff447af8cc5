import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { trainHead } from '../../../src-main/core/ml/train.ts'
import { range, syntheticProblem } from './helpers.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

describe('seeded training', () => {
  const { x, labels } = syntheticProblem(120, 32, 4, 9)
  const input = { x, dim: 32, labels, trainRows: range(0, 90), valRows: range(90, 120) }

  it('gives the same losses and weights for the same seed', async () => {
    const a = await trainHead(input, { epochs: 4, seed: 11, batchSize: 16 })
    const b = await trainHead(input, { epochs: 4, seed: 11, batchSize: 16 })
    expect(b.history.map((h) => [h.loss, h.valLoss, h.valExactMatch])).toEqual(a.history.map((h) => [h.loss, h.valLoss, h.valExactMatch]))
    expect(Array.from(b.head.kernel)).toEqual(Array.from(a.head.kernel))
    expect(Array.from(b.valProbs)).toEqual(Array.from(a.valProbs))
  })

  it('gives different numbers for another seed', async () => {
    const a = await trainHead(input, { epochs: 2, seed: 11, batchSize: 16 })
    const c = await trainHead(input, { epochs: 2, seed: 12, batchSize: 16 })
    expect(Array.from(c.head.kernel)).not.toEqual(Array.from(a.head.kernel))
  })

  it('learns: the training loss falls and validation exact-match beats chance', async () => {
    const r = await trainHead(input, { epochs: 30, seed: 1 })
    expect((r.history.at(-1)?.loss ?? 1) < (r.history[0]?.loss ?? 0)).toBe(true)
    expect(r.history.at(-1)?.valExactMatch).toBeGreaterThan(0.8)
  })
})
