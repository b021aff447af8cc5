import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'
import { trainHead } from '../../../src-main/core/ml/train.ts'
import { range, syntheticProblem } from './helpers.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

describe('cancelling training', () => {
  it('rejects with CANCELLED within a second of an abort at the end of an epoch, and frees its tensors', async () => {
    // Big enough that one epoch takes far longer than a second on the JS backend.
    const { x, labels } = syntheticProblem(4000, 256, 8, 4)
    const before = tf.memory().numTensors
    const controller = new AbortController()
    let abortedAt = 0
    const running = trainHead(
      { x, dim: 256, labels, trainRows: range(0, 3600), valRows: range(3600, 4000) },
      { epochs: 1000, batchSize: 8 },
      {
        signal: controller.signal,
        onEpoch: (e) => {
          if (e.epoch === 1) {
            abortedAt = performance.now()
            controller.abort()
          }
        },
      },
    )
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(abortedAt).toBeGreaterThan(0)
    expect(performance.now() - abortedAt).toBeLessThan(1000)
    expect(tf.memory().numTensors).toBe(before)
  })

  it('sees an abort that arrives as an event while an epoch is running', async () => {
    const { x, labels } = syntheticProblem(4000, 256, 8, 4)
    const before = tf.memory().numTensors
    const controller = new AbortController()
    let abortedAt = 0
    const running = trainHead({ x, dim: 256, labels, trainRows: range(0, 3600), valRows: range(3600, 4000) }, { epochs: 1000, batchSize: 8 }, { signal: controller.signal })
    // A timer fires only if training yields to the event loop between batches.
    setTimeout(() => {
      abortedAt = performance.now()
      controller.abort()
    }, 300)
    await expect(running).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(performance.now() - abortedAt).toBeLessThan(1000)
    // Mid-epoch: the batch losses not yet summed are freed as well.
    expect(tf.memory().numTensors).toBe(before)
  })
})
