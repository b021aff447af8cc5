import { describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { foldStandardisation } from '../../../src-main/core/ml/export/pipeline-model.ts'
import { predictProbabilities, type HeadWeights } from '../../../src-main/core/ml/head.ts'
import { makeRng } from '../../../src-shared/rng.ts'

describe('standardisation folded into the Dense head', () => {
  it('gives the probabilities of standardise-then-head on raw features', async () => {
    await initBackend()
    const rng = makeRng(11)
    const dim = 40
    const cols = 5
    const n = 12
    const head: HeadWeights = {
      dim,
      numLabels: cols,
      mean: Float32Array.from({ length: dim }, () => 3 * rng()),
      scale: Float32Array.from({ length: dim }, () => 0.2 + 4 * rng()),
      kernel: Float32Array.from({ length: dim * cols }, () => rng() - 0.5),
      bias: Float32Array.from({ length: cols }, () => rng() - 0.5),
    }
    const x = Float32Array.from({ length: n * dim }, () => 5 * rng())
    const want = predictProbabilities(head, x, n)
    const folded = foldStandardisation(head)
    // The folded head: standardisation becomes the identity.
    const got = predictProbabilities({ ...head, ...folded, mean: new Float32Array(dim), scale: new Float32Array(dim).fill(1) }, x, n)
    let max = 0
    want.forEach((w, k) => (max = Math.max(max, Math.abs(w - (got[k] as number)))))
    expect(max).toBeLessThan(1e-5)
    // A wrong fold (bias not shifted) is far off: the check can fail.
    const unshifted = predictProbabilities({ ...head, kernel: folded.kernel, mean: new Float32Array(dim), scale: new Float32Array(dim).fill(1) }, x, n)
    expect(Math.max(...want.map((w, k) => Math.abs(w - (unshifted[k] as number))))).toBeGreaterThan(0.01)
  })

  it('folds into the hidden layer when the head has one, leaving the output layer as trained', async () => {
    await initBackend()
    const rng = makeRng(12)
    const dim = 30
    const units = 8
    const cols = 4
    const n = 10
    const head: HeadWeights = {
      dim,
      numLabels: cols,
      mean: Float32Array.from({ length: dim }, () => 3 * rng()),
      scale: Float32Array.from({ length: dim }, () => 0.2 + 4 * rng()),
      hidden: { units, kernel: Float32Array.from({ length: dim * units }, () => rng() - 0.5), bias: Float32Array.from({ length: units }, () => rng() - 0.5) },
      kernel: Float32Array.from({ length: units * cols }, () => rng() - 0.5),
      bias: Float32Array.from({ length: cols }, () => rng() - 0.5),
    }
    const x = Float32Array.from({ length: n * dim }, () => 5 * rng())
    const want = predictProbabilities(head, x, n)
    const folded = foldStandardisation(head)
    expect(folded.kernel).toHaveLength(dim * units)
    const got = predictProbabilities({ ...head, hidden: { units, ...folded }, mean: new Float32Array(dim), scale: new Float32Array(dim).fill(1) }, x, n)
    expect(Math.max(...want.map((w, k) => Math.abs(w - (got[k] as number))))).toBeLessThan(1e-5)
  })
})
