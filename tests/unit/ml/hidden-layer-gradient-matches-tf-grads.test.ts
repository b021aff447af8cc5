import { beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { fillDropout, hiddenHeadGrads, hiddenHeadLoss, transposedTimes, type HeadBatch, type HiddenHeadParams } from '../../../src-main/core/ml/hidden-head.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
})

const N = 7
const DIM = 5
const UNITS = 6
const LABELS = 3

function problem(seed: number): { params: HiddenHeadParams; batch: HeadBatch } {
  const rng = makeRng(seed)
  const values = (n: number, scale = 1): Float32Array => Float32Array.from({ length: n }, () => scale * (2 * rng() - 1))
  // Some cells empty, so the mask matters; a third of the units dropped, so the dropout multipliers do.
  const mask = Float32Array.from({ length: N * LABELS }, (_, i) => (i % 5 === 2 ? 0 : 1))
  return {
    params: {
      hiddenKernel: tf.tensor2d(values(DIM * UNITS), [DIM, UNITS]),
      hiddenBias: tf.tensor1d(values(UNITS, 0.3)),
      kernel: tf.tensor2d(values(UNITS * LABELS), [UNITS, LABELS]),
      bias: tf.tensor1d(values(LABELS, 0.3)),
    },
    batch: {
      x: tf.tensor2d(values(N * DIM, 2), [N, DIM]),
      y: tf.tensor2d(Float32Array.from({ length: N * LABELS }, () => (rng() < 0.4 ? 1 : 0)), [N, LABELS]),
      mask: tf.tensor2d(mask, [N, LABELS]),
      keep: tf.tensor2d(fillDropout(new Float32Array(N * UNITS), N * UNITS, 1 / 3, rng), [N, UNITS]),
    },
  }
}

function autodiff(params: HiddenHeadParams, batch: HeadBatch, l2: number): tf.Tensor[] {
  const f = (hk: tf.Tensor, hb: tf.Tensor, k: tf.Tensor, b: tf.Tensor): tf.Scalar =>
    hiddenHeadLoss({ hiddenKernel: hk as tf.Tensor2D, hiddenBias: hb as tf.Tensor1D, kernel: k as tf.Tensor2D, bias: b as tf.Tensor1D }, batch, l2)
  return tf.grads(f as (...args: tf.Tensor[]) => tf.Tensor)([params.hiddenKernel, params.hiddenBias, params.kernel, params.bias])
}

function expectClose(got: tf.Tensor, want: tf.Tensor): void {
  expect(got.shape).toEqual(want.shape)
  const g = got.dataSync()
  const w = want.dataSync()
  const scale = Math.max(1e-3, ...Array.from(w, Math.abs))
  for (let i = 0; i < w.length; i++) expect(Math.abs((g[i] as number) - (w[i] as number)) / scale).toBeLessThan(1e-5)
}

describe('the hidden-layer head’s hand-written gradient', () => {
  const cases = [
    { name: 'mask and a fixed dropout mask', l2: 0, classWeights: false, dropout: true },
    { name: 'mask, dropout, class weights and L2 on both kernels', l2: 0.01, classWeights: true, dropout: true },
    { name: 'no dropout, L2', l2: 0.05, classWeights: false, dropout: false },
  ]
  for (const c of cases) {
    it(`equals tf.grads of the same loss (${c.name})`, () => {
      const { params, batch } = problem(c.l2 * 1000 + (c.classWeights ? 7 : 3))
      const b: HeadBatch = { ...batch, ...(c.classWeights ? { posWeight: tf.tensor1d([0.5, 3, 12]) } : {}) }
      if (!c.dropout) delete b.keep
      const { grads, logits } = hiddenHeadGrads(params, b, c.l2)
      const want = autodiff(params, b, c.l2)
      expectClose(grads.hiddenKernel, want[0] as tf.Tensor)
      expectClose(grads.hiddenBias, want[1] as tf.Tensor)
      expectClose(grads.kernel, want[2] as tf.Tensor)
      expectClose(grads.bias, want[3] as tf.Tensor)
      // The dropped units really are dropped: some of the hidden kernel's gradient comes only through kept units.
      expect(grads.hiddenKernel.dataSync().some((v) => v !== 0)).toBe(true)
      tf.dispose([...Object.values(grads), logits, ...want, ...Object.values(params), b.x, b.y, b.mask, ...(b.keep ? [b.keep] : []), ...(b.posWeight ? [b.posWeight] : [])])
      if (batch.keep && !b.keep) batch.keep.dispose()
    })
  }

  it('multiplies by the transposed batch the same whichever transpose it makes explicit', () => {
    const rng = makeRng(8)
    const x = tf.tensor2d(Float32Array.from({ length: 40 * 30 }, () => rng() - 0.5), [40, 30])
    // k = 2 transposes d and the product; k = 25 transposes x.
    for (const k of [2, 25]) {
      const d = tf.tensor2d(Float32Array.from({ length: 40 * k }, () => rng() - 0.5), [40, k])
      const got = transposedTimes(x, d)
      const want = tf.matMul(x, d, true, false)
      expectClose(got, want)
      tf.dispose([d, got, want])
    }
    x.dispose()
  })

  it('drops about the given share of units and scales the kept ones up, the same for the same seed', () => {
    const a = fillDropout(new Float32Array(10_000), 10_000, 0.3, makeRng(5))
    const b = fillDropout(new Float32Array(10_000), 10_000, 0.3, makeRng(5))
    expect(Array.from(b)).toEqual(Array.from(a))
    const dropped = a.filter((v) => v === 0).length / a.length
    expect(dropped).toBeGreaterThan(0.28)
    expect(dropped).toBeLessThan(0.32)
    expect(new Set(a.filter((v) => v !== 0))).toEqual(new Set([Math.fround(1 / 0.7)]))
  })
})
