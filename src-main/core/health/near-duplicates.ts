// Near-duplicate search over cached backbone features: every pair of rows whose cosine similarity
// (after standardising each feature) reaches a threshold, by blocked matrix products.
import { TagsmithError } from '../errors.ts'
import { loopProducts, onnxProducts, type BlockProducts } from './similarity-blocks.ts'

/**
 * Default threshold. Measured on the apparel fixture (1,167 images, default backbone, standardised
 * features; bench/health.ts): 30 copies shrunk to 80% or 60% and re-encoded as JPEG q60, JPEG q95 or PNG
 * score 0.86-1.00 against their originals (median 0.99, 26 of 30 at 0.9 or more), while 99.99% of the
 * 680k pairs of distinct images score under 0.87 (median -0.02); most of the 28 distinct pairs above
 * 0.9 are the fixture's own re-posted photos. Raw cosine puts 5,980 distinct pairs above 0.9.
 */
export const DEFAULT_SIMILARITY = 0.9

/** At most this many pairs are kept, the most similar first. */
export const MAX_PAIRS = 5000

/** Rows per block: a 1024 × 1024 product of 376-long rows is ~0.8 GFLOP, tens of milliseconds. */
const BLOCK_ROWS = 1024

/** Below this many rows a plain loop is faster than opening a session. */
const LOOP_MAX_ROWS = 64

export type FeatureScaling = 'standardise' | 'centre' | 'none'

/** Two rows of the feature matrix; the contract's NearDuplicate names images by id instead. */
export interface SimilarPair {
  /** row indices, a < b */
  a: number
  b: number
  similarity: number
}

export interface SearchOptions {
  threshold?: number
  maxPairs?: number
  /**
   * 'standardise' (default): subtract each feature's mean and divide by its spread over the rows, then
   * compare directions. Pooled backbone features share a large common component that makes every pair
   * look alike; removing it, and letting no single feature dominate, separates copies best.
   */
  scaling?: FeatureScaling
  engine?: 'onnx' | 'loop'
  blockRows?: number
  signal?: AbortSignal
  onProgress?: (p: { done: number; total: number }) => void
}

export interface SearchResult {
  pairs: SimilarPair[]
  /** pairs at or above the threshold, before the cap */
  found: number
  engine: BlockProducts['name']
  seconds: number
}

/** Scales the n × d rows in place as `scaling` says, then to unit length (all-zero rows stay zero). */
export function prepareRows(x: Float32Array, n: number, d: number, scaling: FeatureScaling): void {
  if (scaling !== 'none' && n > 0) {
    const mean = new Float64Array(d)
    const sq = new Float64Array(d)
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < d; k++) {
        const v = x[i * d + k] ?? 0
        mean[k] = (mean[k] ?? 0) + v
        sq[k] = (sq[k] ?? 0) + v * v
      }
    }
    const scale = new Float64Array(d).fill(1)
    for (let k = 0; k < d; k++) {
      const m = (mean[k] ?? 0) / n
      mean[k] = m
      const sd = Math.sqrt(Math.max(0, (sq[k] ?? 0) / n - m * m))
      // A feature that does not vary says nothing about any pair; keep it at zero rather than blow it up.
      if (scaling === 'standardise') scale[k] = sd > 1e-6 ? 1 / sd : 0
    }
    for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) x[i * d + k] = ((x[i * d + k] ?? 0) - (mean[k] ?? 0)) * (scale[k] ?? 0)
  }
  for (let i = 0; i < n; i++) {
    let s = 0
    for (let k = 0; k < d; k++) s += (x[i * d + k] ?? 0) ** 2
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0
    for (let k = 0; k < d; k++) x[i * d + k] = (x[i * d + k] ?? 0) * inv
  }
}

/** Columns [from, to) of the n × d rows, transposed to d × (to - from). */
function transposed(x: Float32Array, d: number, from: number, to: number): Float32Array {
  const w = to - from
  const out = new Float32Array(d * w)
  for (let i = 0; i < w; i++) {
    const src = (from + i) * d
    for (let k = 0; k < d; k++) out[k * w + i] = x[src + k] ?? 0
  }
  return out
}

const bySimilarity = (p: SimilarPair, q: SimilarPair): number => q.similarity - p.similarity || p.a - q.a || p.b - q.b

/**
 * Pairs of rows of `x` (n × d, row-major; not modified) with similarity >= threshold, most similar first,
 * at most maxPairs. Each block of rows is compared with itself and the blocks after it, so every pair is
 * computed once.
 */
export async function findSimilarPairs(x: Float32Array, n: number, d: number, opts: SearchOptions = {}): Promise<SearchResult> {
  const started = performance.now()
  const threshold = opts.threshold ?? DEFAULT_SIMILARITY
  const maxPairs = opts.maxPairs ?? MAX_PAIRS
  const rows = x.slice(0, n * d)
  prepareRows(rows, n, d, opts.scaling ?? 'standardise')
  const block = Math.max(1, opts.blockRows ?? BLOCK_ROWS)
  const starts: number[] = []
  for (let s = 0; s < n; s += block) starts.push(s)
  const total = (starts.length * (starts.length + 1)) / 2
  const engineName = opts.engine ?? (n <= LOOP_MAX_ROWS ? 'loop' : 'onnx')
  const engine = engineName === 'onnx' ? await onnxProducts() : loopProducts()
  let pairs: SimilarPair[] = []
  let found = 0
  // Once the cap is full, a pair must beat the weakest kept one.
  let floor = threshold
  let done = 0
  opts.onProgress?.({ done, total })
  try {
    const blocksT = starts.map((s) => transposed(rows, d, s, Math.min(n, s + block)))
    for (let bi = 0; bi < starts.length; bi++) {
      const a0 = starts[bi] ?? 0
      const m = Math.min(n, a0 + block) - a0
      const a = rows.subarray(a0 * d, (a0 + m) * d)
      for (let bj = bi; bj < starts.length; bj++) {
        if (opts.signal?.aborted) throw new TagsmithError('CANCELLED', 'near-duplicate search cancelled')
        const b0 = starts[bj] ?? 0
        const bt = blocksT[bj] ?? new Float32Array(0)
        const w = bt.length / Math.max(1, d)
        const { s, rowMax } = await engine.product(a, m, bt, w, d)
        // Off the diagonal, a row whose best value misses the threshold holds no pair.
        const skip = bi === bj ? null : rowMax
        for (let i = 0; i < m; i++) {
          if (skip && (skip[i] ?? 0) < threshold) continue
          const row = i * w
          // Within a diagonal block only the pairs right of the diagonal are new.
          for (let j = bi === bj ? i + 1 : 0; j < w; j++) {
            const v = s[row + j] ?? 0
            if (v < threshold) continue
            found++
            if (v >= floor) pairs.push({ a: a0 + i, b: b0 + j, similarity: v })
          }
        }
        if (pairs.length > 2 * maxPairs) {
          pairs.sort(bySimilarity)
          pairs = pairs.slice(0, maxPairs)
          floor = pairs[pairs.length - 1]?.similarity ?? threshold
        }
        done++
        opts.onProgress?.({ done, total })
        // Let events (progress, cancel) through between blocks.
        await new Promise((resolve) => setImmediate(resolve))
      }
    }
  } finally {
    await engine.dispose()
  }
  pairs.sort(bySimilarity)
  return { pairs: pairs.slice(0, maxPairs), found, engine: engine.name, seconds: (performance.now() - started) / 1000 }
}
