import type { Database } from 'better-sqlite3'
import { TagsmithError } from '../errors.ts'
import { DECODE_PIPELINE_VERSION, decodeRgb, normalise } from '../images/decode.ts'
import type { BackboneSpec } from './backbones/catalog.ts'
import type { FeatureExtractor } from './backbones/load.ts'
import { cachedHashes, putFeatures } from './feature-cache.ts'

export interface ExtractImage {
  id: number
  absPath: string
  hash: string
}

/** Images done (cached before this run, computed or skipped) of the distinct images asked for. */
export interface ExtractProgress {
  phase: 'extract'
  done: number
  total: number
}

export interface ExtractReport {
  key: string
  prep: number
  dim: number
  /** distinct image contents asked for */
  total: number
  cached: number
  computed: number
  skipped: Array<{ id: number; absPath: string; hash: string; reason: string }>
  seconds: number
}

/** Cache version of a backbone's features: its own preprocessing version and the decoder's. */
export function prepVersion(spec: BackboneSpec): number {
  return spec.prep * 1000 + DECODE_PIPELINE_VERSION
}

interface Decoded {
  items: ExtractImage[]
  pixels: Float32Array
  failed: Array<{ item: ExtractImage; reason: string }>
}

async function decodeBatch(items: ExtractImage[], spec: BackboneSpec): Promise<Decoded> {
  const size = spec.inputSize
  const per = size * size * 3
  const results = await Promise.all(
    items.map(async (item) => {
      try {
        return { item, rgb: await decodeRgb(item.absPath, { size }) }
      } catch (err) {
        return { item, reason: err instanceof Error ? err.message : String(err) }
      }
    }),
  )
  const ok = results.filter((r): r is { item: ExtractImage; rgb: Uint8Array } => 'rgb' in r)
  const pixels = new Float32Array(ok.length * per)
  ok.forEach((r, i) => normalise(r.rgb, spec.normalisation, pixels.subarray(i * per, (i + 1) * per)))
  return {
    items: ok.map((r) => r.item),
    pixels,
    failed: results.flatMap((r) => ('reason' in r && r.reason !== undefined ? [{ item: r.item, reason: r.reason }] : [])),
  }
}

/**
 * Compute and cache features for every image whose content is not cached yet. Work is committed one
 * batch at a time, so a cancelled or crashed run resumes with only the rest. The next batch is decoded
 * (on sharp's threads) while the current one runs through the backbone. Unreadable images are skipped
 * and reported, never fatal.
 */
export async function extractFeatures(
  db: Database,
  extractor: FeatureExtractor,
  images: readonly ExtractImage[],
  opts: { batchSize?: number; onProgress?: (p: ExtractProgress) => void; signal?: AbortSignal } = {},
): Promise<ExtractReport> {
  const started = performance.now()
  const prep = prepVersion(extractor.spec)
  const batchSize = Math.max(1, opts.batchSize ?? 16)
  const unique = new Map<string, ExtractImage>()
  for (const img of images) if (!unique.has(img.hash)) unique.set(img.hash, img)
  const have = cachedHashes(db, extractor.key, prep, unique.keys())
  const todo = [...unique.values()].filter((img) => !have.has(img.hash))
  const total = unique.size
  const skipped: ExtractReport['skipped'] = []
  let computed = 0
  const report = (): void => opts.onProgress?.({ phase: 'extract', done: have.size + computed + skipped.length, total })
  report()
  const batches: ExtractImage[][] = []
  for (let i = 0; i < todo.length; i += batchSize) batches.push(todo.slice(i, i + batchSize))
  let next: Promise<Decoded> | null = batches[0] ? decodeBatch(batches[0], extractor.spec) : null
  for (let b = 0; next; b++) {
    const decoded = await next
    if (opts.signal?.aborted) throw new TagsmithError('CANCELLED', 'feature extraction cancelled')
    const following = batches[b + 1]
    next = following ? decodeBatch(following, extractor.spec) : null
    for (const f of decoded.failed) skipped.push({ id: f.item.id, absPath: f.item.absPath, hash: f.item.hash, reason: f.reason })
    if (decoded.items.length > 0) {
      const features = await extractor.extract(decoded.pixels, decoded.items.length)
      const dim = extractor.dim
      putFeatures(
        db,
        extractor.key,
        prep,
        decoded.items.map((item, i) => ({ hash: item.hash, data: features.slice(i * dim, (i + 1) * dim) })),
      )
      computed += decoded.items.length
    }
    report()
  }
  return {
    key: extractor.key,
    prep,
    dim: extractor.dim,
    total,
    cached: have.size,
    computed,
    skipped,
    seconds: (performance.now() - started) / 1000,
  }
}
