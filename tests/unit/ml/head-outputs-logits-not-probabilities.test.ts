import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { buildHead } from '../../../src-main/core/ml/head.ts'
import { selectRows } from '../../../src-main/core/ml/label-matrix.ts'
import { applyStandardisation } from '../../../src-main/core/ml/standardise.ts'
import { trainHead } from '../../../src-main/core/ml/train.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'
import { range, syntheticProblem } from './helpers.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

describe('the head and the loss see logits (no sigmoid twice)', () => {
  it('buildHead is one linear Dense layer with one output per label', () => {
    const model = buildHead({ inputDim: 7, numLabels: 3, seed: 1 })
    expect(model.layers).toHaveLength(1)
    expect(model.outputs[0]?.shape).toEqual([null, 3])
    const out = tf.tidy(() => (model.predict(tf.fill([1, 7], 100)) as tf.Tensor).dataSync())
    // Logits of a large input leave (0, 1): there is no activation on the output.
    expect(Array.from(out).some((v) => v < 0 || v > 1)).toBe(true)
    model.dispose()
  })

  it("reports a validation loss equal to the with-logits formula applied to the head's raw outputs", async () => {
    const { x, labels } = syntheticProblem(80, 6, 3, 5)
    const trainRows = range(0, 60)
    const valRows = range(60, 80)
    const result = await trainHead({ x, dim: 6, labels, trainRows, valRows }, { epochs: 3, seed: 3, l2: 0 })
    const h = result.head
    const xs = applyStandardisation(x, 6, valRows, { mean: h.mean, scale: h.scale })
    const truth = selectRows(labels, valRows)
    let sum = 0
    for (let r = 0; r < valRows.length; r++) {
      for (let j = 0; j < 3; j++) {
        let logit = h.bias[j] as number
        for (let d = 0; d < 6; d++) logit += (xs[r * 6 + d] as number) * (h.kernel[d * 3 + j] as number)
        const z = truth.values[r * 3 + j] as number
        sum += Math.max(logit, 0) - logit * z + Math.log1p(Math.exp(-Math.abs(logit)))
      }
    }
    expect(result.history.at(-1)?.valLoss).toBeCloseTo(sum / (valRows.length * 3), 4)
  })
})
