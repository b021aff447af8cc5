import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { bceWithLogits, bceWithLogitsGrad, positiveWeights } from '../../../src-main/core/ml/loss.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

const loss = (x: number[][], z: number[][], opts: { posWeight?: number[]; mask?: number[][] } = {}): number => {
  const value = tf.tidy(() =>
    bceWithLogits(tf.tensor2d(x), tf.tensor2d(z), {
      posWeight: opts.posWeight ? tf.tensor1d(opts.posWeight) : undefined,
      mask: opts.mask ? tf.tensor2d(opts.mask) : undefined,
    }).dataSync()[0],
  )
  return value as number
}

describe('binary cross-entropy from logits', () => {
  it('equals the hand-computed mean of -[z log s(x) + (1-z) log(1-s(x))]', () => {
    // x = [2, -1], z = [1, 0]: -log(s(2)) = log(1+e^-2) = 0.126928; -log(1-s(-1)) = log(1+e^-1) = 0.313262
    expect(loss([[2, -1]], [[1, 0]])).toBeCloseTo((0.126928 + 0.313262) / 2, 5)
    // x = 0 gives log 2 whatever the target
    expect(loss([[0, 0]], [[1, 0]])).toBeCloseTo(Math.log(2), 6)
  })

  it('is finite and linear for large logits: a sigmoid applied first would squash them to about 1.31', () => {
    // Wrongly confident: logit 30 for a negative costs 30 (+ log(1+e^-30)), logit -40 for a positive costs 40.
    expect(loss([[30]], [[0]])).toBeCloseTo(30, 4)
    expect(loss([[-40]], [[1]])).toBeCloseTo(40, 4)
    // Had the caller passed sigmoid(30) = 1 as the "logit", the loss would be log(1+e) = 1.3133.
    expect(loss([[1]], [[0]])).toBeCloseTo(Math.log(1 + Math.E), 4)
    // Rightly confident large logits cost ~0, with no overflow or NaN.
    expect(loss([[100, -100]], [[1, 0]])).toBeCloseTo(0, 6)
  })

  it('weights the positive term by pos_weight, like the usual definition', () => {
    // x = 1, z = 1, p = 3: 3 * log(1+e^-1) = 3 * 0.313262; x = 1, z = 0: unchanged log(1+e^1) = 1.313262
    expect(loss([[1, 1]], [[1, 0]], { posWeight: [3, 3] })).toBeCloseTo((3 * 0.313262 + 1.313262) / 2, 5)
    // pos_weight 1 is the plain loss
    expect(loss([[0.7, -2]], [[1, 0]], { posWeight: [1, 1] })).toBeCloseTo(loss([[0.7, -2]], [[1, 0]]), 6)
  })

  it('ignores masked (empty) cells and averages over the known ones', () => {
    // The masked cell (logit 50 for a negative) would otherwise dominate.
    expect(loss([[2, 50]], [[1, 0]], { mask: [[1, 0]] })).toBeCloseTo(0.126928, 5)
  })

  it('derives pos_weight = negatives / positives per label', () => {
    const labels = Float32Array.from([1, 0, 0, 0, 0, 1, 0, 1])
    const mask = Float32Array.from([1, 1, 1, 1, 1, 1, 1, 1])
    // 4 rows x 2 labels: label 0 has 1 positive of 4 -> 3; label 1 has 2 of 4 -> 1
    expect(Array.from(positiveWeights(labels, mask, 4, 2))).toEqual([3, 1])
  })
})

describe('closed-form gradient used by training', () => {
  // No logit at exactly 0: autodiff takes a one-sided slope of |x| and max(x, 0) there.
  const x = [
    [2, -1, 0.3],
    [-30, 25, -0.7],
  ]
  const z = [
    [1, 0, 1],
    [1, 0, 0],
  ]
  const mask = [
    [1, 1, 0],
    [1, 1, 1],
  ]
  const compare = (opts: { posWeight?: number[]; mask?: number[][] }): void => {
    const [mine, autodiff] = tf.tidy(() => {
      const zt = tf.tensor2d(z)
      const o = { posWeight: opts.posWeight ? tf.tensor1d(opts.posWeight) : undefined, mask: opts.mask ? tf.tensor2d(opts.mask) : undefined }
      const g = tf.grad((l: tf.Tensor) => bceWithLogits(l as tf.Tensor2D, zt, o))(tf.tensor2d(x))
      return [Array.from(bceWithLogitsGrad(tf.tensor2d(x), zt, o).dataSync()), Array.from(g.dataSync())]
    })
    mine.forEach((v, i) => expect(v).toBeCloseTo(autodiff[i] as number, 6))
  }

  it('equals the autodiff gradient of the loss, plain, masked and with pos_weight', () => {
    compare({})
    compare({ mask })
    compare({ posWeight: [3, 0.5, 2], mask })
  })
})
