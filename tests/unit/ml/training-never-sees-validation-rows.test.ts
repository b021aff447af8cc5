import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { labelMatrix } from '../../../src-main/core/ml/label-matrix.ts'
import { stratifiedHoldout } from '../../../src-main/core/ml/split.ts'
import { fitStandardisation } from '../../../src-main/core/ml/standardise.ts'
import { trainHead } from '../../../src-main/core/ml/train.ts'
import { range, syntheticProblem } from './helpers.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

describe('train / validation separation', () => {
  it('refuses a validation row that is also a training row', async () => {
    const { x, labels } = syntheticProblem(20, 4, 2)
    await expect(trainHead({ x, dim: 4, labels, trainRows: range(0, 15), valRows: [14, 15, 16] }, { epochs: 1 })).rejects.toMatchObject({
      code: 'BAD_INPUT',
    })
  })

  it('standardises with training rows only: validation rows do not move the statistics', async () => {
    const { x, labels } = syntheticProblem(30, 3, 2)
    // Make validation rows extreme; a leak into the statistics would shift the mean.
    for (let r = 20; r < 30; r++) for (let d = 0; d < 3; d++) x[r * 3 + d] = 1e6
    const expected = fitStandardisation(x, 3, range(0, 20))
    const result = await trainHead({ x, dim: 3, labels, trainRows: range(0, 20), valRows: range(20, 30) }, { epochs: 1 })
    expect(Array.from(result.head.mean)).toEqual(Array.from(expected.mean))
    expect(Math.max(...result.head.mean)).toBeLessThan(100)
  })

  it('a stratified holdout is disjoint from the rest, covers every row and keeps label patterns on both sides', () => {
    const patterns: Array<Array<0 | 1>> = []
    for (let i = 0; i < 100; i++) patterns.push(i % 2 === 0 ? [1, 0] : [0, 1])
    const m = labelMatrix(patterns, 2)
    const { train, val } = stratifiedHoldout(m, range(0, 100), 0.2, 7)
    expect(val).toHaveLength(20)
    expect(train.filter((r) => val.includes(r))).toEqual([])
    expect([...train, ...val].sort((a, b) => a - b)).toEqual(range(0, 100))
    expect(val.filter((r) => r % 2 === 0)).toHaveLength(10)
    expect(stratifiedHoldout(m, range(0, 100), 0.2, 7)).toEqual({ train, val })
  })
})
