import type { Database } from 'better-sqlite3'
import { DECODE_PIPELINE_VERSION, decodeRgb } from '../images/decode.ts'
import type { BackboneSpec } from './backbones/catalog.ts'
import type { FeatureExtractor } from './backbones/load.ts'
import { extractInBatches } from './extract-pipeline.ts'
import { cachedHashes, putFeatures } from './feature-cache.ts'
import { computeColourStatistics, type ColourDesign } from './parts/colour-statistics.ts'

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

/** Colour statistics to cache beside a backbone's features, computed from the same decoded pixels. */
export interface ColourPartRequest {
  key: string
  prep: number
  design: ColourDesign
}

/**
 * Compute and cache features for every image whose content is not cached yet. Work is committed one
 * batch at a time, so a cancelled or crashed run resumes with only the rest. The next batches are
 * decoded (on sharp's threads) while the current one runs through the backbone (extract-pipeline.ts).
 * Unreadable images are skipped and reported, never fatal. With `colour`, colour statistics are computed
 * from the pixels decoded for the backbone; images whose backbone features are cached but whose colour
 * part is not are decoded once more for it, and the backbone is not run on them.
 */
export async function extractFeatures(
  db: Database,
  extractor: FeatureExtractor,
  images: readonly ExtractImage[],
  opts: { batchSize?: number; onProgress?: (p: ExtractProgress) => void; signal?: AbortSignal; colour?: ColourPartRequest } = {},
): Promise<ExtractReport> {
  const started = performance.now()
  const { spec, key } = extractor
  const prep = prepVersion(spec)
  const { colour } = opts
  const unique = new Map<string, ExtractImage>()
  for (const img of images) if (!unique.has(img.hash)) unique.set(img.hash, img)
  const haveFeatures = cachedHashes(db, key, prep, unique.keys())
  const haveColour = colour ? cachedHashes(db, colour.key, colour.prep, unique.keys()) : haveFeatures
  const todo = [...unique.values()].filter((img) => !haveFeatures.has(img.hash))
  const colourOnly = [...unique.values()].filter((img) => haveFeatures.has(img.hash) && !haveColour.has(img.hash))
  const cached = unique.size - todo.length - colourOnly.length
  const total = unique.size
  const skipped: ExtractReport['skipped'] = []
  let computed = 0
  // The first report, before any work, counts the cached images: the rate shown starts from there.
  const report = (): void => opts.onProgress?.({ phase: 'extract', done: cached + computed + skipped.length, total })
  report()
  const size = extractor.inputSize
  const pass = async (list: ExtractImage[], withBackbone: boolean): Promise<void> => {
    if (list.length === 0) return
    const features: Array<{ hash: string; data: Float32Array }> = []
    const colours: Array<{ hash: string; data: Float32Array }> = []
    const colourOf = new Map<string, Float32Array>()
    await extractInBatches(
      list.map((img) => img.absPath),
      {
        extractor: withBackbone
          ? {
              inputShape: { height: size, width: size, channels: 3 },
              inputLayout: 'NHWC',
              featureLength: extractor.dim,
              run: (pixels, count, runOpts) => extractor.extract(pixels, count, runOpts),
            }
          : { inputShape: { height: size, width: size, channels: 3 }, inputLayout: 'NHWC', featureLength: 0, run: () => Promise.resolve(new Float32Array(0)) },
        decode: async (file) => {
          const rgb = await decodeRgb(file, { size })
          if (colour) colourOf.set(file, computeColourStatistics(rgb, size, colour.design))
          return rgb
        },
        normalisation: spec.normalisation,
        batchSize: opts.batchSize ?? 16,
        signal: opts.signal,
        onFeatures: (i, data) => {
          const img = list[i] as ExtractImage
          if (withBackbone) features.push({ hash: img.hash, data: data.slice() })
          const stats = colourOf.get(img.absPath)
          colourOf.delete(img.absPath)
          if (colour && stats && !haveColour.has(img.hash)) colours.push({ hash: img.hash, data: stats })
        },
        onFailure: (i, err) => {
          const { id, absPath, hash } = list[i] as ExtractImage
          colourOf.delete(absPath)
          skipped.push({ id, absPath, hash, reason: err instanceof Error ? err.message : String(err) })
        },
        onBatchEnd: () => {
          db.transaction(() => {
            if (features.length > 0) putFeatures(db, key, prep, features)
            if (colour && colours.length > 0) putFeatures(db, colour.key, colour.prep, colours)
          })()
          computed += withBackbone ? features.length : colours.length
          features.length = 0
          colours.length = 0
        },
        onProgress: report,
      },
    )
  }
  await pass(todo, true)
  await pass(colourOnly, false)
  return { key, prep, dim: extractor.dim, total, cached, computed, skipped, seconds: (performance.now() - started) / 1000 }
}
