import { describe, expect, it } from 'vitest'
import { findSimilarPairs, prepareRows, type SimilarPair } from '../../../src-main/core/health/near-duplicates.ts'
import { makeRng } from '../../../src-shared/rng.ts'

const D = 40

/** n rows of pooled-feature-like values (a large shared positive part plus noise), and near-copies of some rows. */
function features(n: number, copies: Array<[from: number, to: number]>, seed = 7): Float32Array {
  const rng = makeRng(seed)
  const x = new Float32Array(n * D)
  for (let i = 0; i < n; i++) for (let k = 0; k < D; k++) x[i * D + k] = 5 + 3 * rng() + rng() * rng()
  for (const [from, to] of copies) for (let k = 0; k < D; k++) x[to * D + k] = (x[from * D + k] ?? 0) + 0.02 * (rng() - 0.5)
  return x
}

/** Every pair's similarity, in float64 from the definition: standardise each feature, then cosine. */
function bruteForce(x: Float32Array, n: number): SimilarPair[] {
  const mean = new Array<number>(D).fill(0)
  const sd = new Array<number>(D).fill(0)
  for (let k = 0; k < D; k++) {
    for (let i = 0; i < n; i++) mean[k] = (mean[k] ?? 0) + (x[i * D + k] ?? 0) / n
    for (let i = 0; i < n; i++) sd[k] = (sd[k] ?? 0) + ((x[i * D + k] ?? 0) - (mean[k] ?? 0)) ** 2 / n
  }
  const z = Array.from({ length: n }, (_, i) => Array.from({ length: D }, (_, k) => ((x[i * D + k] ?? 0) - (mean[k] ?? 0)) / Math.sqrt(sd[k] ?? 1)))
  const norm = z.map((r) => Math.sqrt(r.reduce((s, v) => s + v * v, 0)))
  const pairs: SimilarPair[] = []
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const dot = (z[a] ?? []).reduce((s, v, k) => s + v * (z[b]?.[k] ?? 0), 0)
      pairs.push({ a, b, similarity: dot / ((norm[a] ?? 1) * (norm[b] ?? 1)) })
    }
  }
  return pairs.sort((p, q) => q.similarity - p.similarity)
}

const key = (p: SimilarPair): string => `${p.a}-${p.b}`

/**
 * A threshold keeping about the k most similar pairs, halfway between two neighbours far enough apart
 * that float32 rounding cannot move a pair across it; and how many pairs it keeps.
 */
function thresholdNear(sorted: readonly SimilarPair[], k: number): { threshold: number; keeps: number } {
  for (let i = k; i < sorted.length; i++) {
    const above = sorted[i - 1]?.similarity ?? NaN
    const below = sorted[i]?.similarity ?? NaN
    if (above - below > 1e-4) return { threshold: (above + below) / 2, keeps: i }
  }
  throw new Error('no gap between pair similarities')
}

describe('near-duplicate search', () => {
  const n = 300
  const planted: Array<[number, number]> = [
    [3, 250],
    [17, 18],
    [64, 65], // across a block edge when blocks hold 64 rows
    [100, 299],
    [130, 7],
  ]
  const x = features(n, planted)
  const all = bruteForce(x, n)

  it('finds exactly the pairs at or above the threshold, in blocks on ONNX Runtime and in plain loops, most similar first', async () => {
    const { threshold, keeps } = thresholdNear(all, 40)
    const expected = all.filter((p) => p.similarity >= threshold)
    expect(expected).toHaveLength(keeps)
    for (const engine of ['onnx', 'loop'] as const) {
      const found = await findSimilarPairs(x, n, D, { threshold, engine, blockRows: 64 })
      expect(found.engine).toBe(engine)
      expect(found.found).toBe(expected.length)
      expect(found.pairs.map(key)).toEqual(expected.map(key))
      found.pairs.forEach((p, i) => expect(p.similarity).toBeCloseTo(expected[i]?.similarity ?? NaN, 4))
    }
  })

  it('ranks the planted copies first, far above any distinct pair', async () => {
    const found = await findSimilarPairs(x, n, D, { threshold: 0.9, blockRows: 128 })
    expect(found.pairs.map(key).sort()).toEqual(planted.map(([p, q]) => key({ a: Math.min(p, q), b: Math.max(p, q), similarity: 0 })).sort())
    expect(Math.min(...found.pairs.map((p) => p.similarity))).toBeGreaterThan(0.99)
  })

  it('keeps only the most similar pairs under the cap, and counts them all', async () => {
    const { threshold, keeps } = thresholdNear(all, 200)
    const found = await findSimilarPairs(x, n, D, { threshold, maxPairs: 3, blockRows: 64 })
    const expected = all.filter((p) => p.similarity >= threshold)
    expect(found.found).toBe(keeps)
    expect(found.pairs.map(key)).toEqual(expected.slice(0, 3).map(key))
  })

  it('stops when cancelled', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(findSimilarPairs(x, n, D, { signal: controller.signal })).rejects.toMatchObject({ code: 'CANCELLED' })
  })

  it('standardising removes the shared positive part that makes every raw pair look alike', () => {
    const raw = x.slice()
    prepareRows(raw, n, D, 'none')
    const scaled = x.slice()
    prepareRows(scaled, n, D, 'standardise')
    const cosine = (v: Float32Array, a: number, b: number): number => {
      let s = 0
      for (let k = 0; k < D; k++) s += (v[a * D + k] ?? 0) * (v[b * D + k] ?? 0)
      return s
    }
    // Rows 0 and 1 are distinct images: nearly identical directions raw, unrelated once standardised.
    expect(cosine(raw, 0, 1)).toBeGreaterThan(0.95)
    expect(Math.abs(cosine(scaled, 0, 1))).toBeLessThan(0.5)
    expect(cosine(scaled, 0, 0)).toBeCloseTo(1, 5)
  })
})
