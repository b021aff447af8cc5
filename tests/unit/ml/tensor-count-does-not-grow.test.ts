import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { predictProbabilities } from '../../../src-main/core/ml/head.ts'
import { trainHead } from '../../../src-main/core/ml/train.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'
import { range, syntheticProblem } from './helpers.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

describe('no tensor leaks', () => {
  const { x, labels } = syntheticProblem(64, 8, 3, 2)
  const input = { x, dim: 8, labels, trainRows: range(0, 48), valRows: range(48, 64) }

  it('keeps the tensor count flat from epoch to epoch and returns to it after training', async () => {
    const before = tf.memory().numTensors
    const perEpoch: number[] = []
    const result = await trainHead(input, { epochs: 6, batchSize: 8 }, { onEpoch: () => perEpoch.push(tf.memory().numTensors) })
    expect(new Set(perEpoch.slice(1)).size).toBe(1)
    expect(tf.memory().numTensors).toBe(before)
    // Predicting many times leaves nothing behind either.
    const afterTraining = tf.memory().numTensors
    for (let i = 0; i < 20; i++) predictProbabilities(result.head, x, 64)
    expect(tf.memory().numTensors).toBe(afterTraining)
  })
})
