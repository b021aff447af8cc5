import type { Database } from 'better-sqlite3'
import { DECODE_PIPELINE_VERSION, decodeRgb } from '../images/decode.ts'
import type { BackboneSpec } from './backbones/catalog.ts'
import type { FeatureExtractor } from './backbones/load.ts'
import { extractInBatches } from './extract-pipeline.ts'
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

/**
 * Compute and cache features for every image whose content is not cached yet. Work is committed one
 * batch at a time, so a cancelled or crashed run resumes with only the rest. The next batches are
 * decoded (on sharp's threads) while the current one runs through the backbone (extract-pipeline.ts).
 * Unreadable images are skipped and reported, never fatal.
 */
export async function extractFeatures(
  db: Database,
  extractor: FeatureExtractor,
  images: readonly ExtractImage[],
  opts: { batchSize?: number; onProgress?: (p: ExtractProgress) => void; signal?: AbortSignal } = {},
): Promise<ExtractReport> {
  const started = performance.now()
  const { spec, key } = extractor
  const prep = prepVersion(spec)
  const unique = new Map<string, ExtractImage>()
  for (const img of images) if (!unique.has(img.hash)) unique.set(img.hash, img)
  const have = cachedHashes(db, key, prep, unique.keys())
  const todo = [...unique.values()].filter((img) => !have.has(img.hash))
  const total = unique.size
  const skipped: ExtractReport['skipped'] = []
  let computed = 0
  // The first report, before any work, counts the cached images: the rate shown starts from there.
  const report = (): void => opts.onProgress?.({ phase: 'extract', done: have.size + computed + skipped.length, total })
  report()
  let batch: Array<{ hash: string; data: Float32Array }> = []
  if (todo.length > 0) {
    await extractInBatches(
      todo.map((img) => img.absPath),
      {
        extractor: {
          inputShape: { height: extractor.inputSize, width: extractor.inputSize, channels: 3 },
          inputLayout: 'NHWC',
          featureLength: extractor.dim,
          run: (pixels, count, runOpts) => extractor.extract(pixels, count, runOpts),
        },
        decode: (file) => decodeRgb(file, { size: extractor.inputSize }),
        normalisation: spec.normalisation,
        batchSize: opts.batchSize ?? 16,
        signal: opts.signal,
        onFeatures: (i, features) => void batch.push({ hash: (todo[i] as ExtractImage).hash, data: features.slice() }),
        onFailure: (i, err) => {
          const { id, absPath, hash } = todo[i] as ExtractImage
          skipped.push({ id, absPath, hash, reason: err instanceof Error ? err.message : String(err) })
        },
        onBatchEnd: () => {
          if (batch.length > 0) putFeatures(db, key, prep, batch)
          computed += batch.length
          batch = []
        },
        onProgress: report,
      },
    )
  }
  return { key, prep, dim: extractor.dim, total, cached: have.size, computed, skipped, seconds: (performance.now() - started) / 1000 }
}
