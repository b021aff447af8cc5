// Feature extraction in this process: open the backbone on the engine asked for, then fill the cache
// with the features of the images it lacks. The extract job runs this; so does a training run when its
// engine threads by itself (ONNX Runtime), rather than starting another process for it.
import type { Database } from 'better-sqlite3'
import { initEngineBackend, openBackbone } from './backbones/engine-choice.ts'
import type { BackendInfo } from './backend.ts'
import type { BackboneSpec } from './backbones/catalog.ts'
import { extractFeatures, type ExtractImage, type ExtractProgress, type ExtractReport } from './extract.ts'
import { colourPrep, featureKeyOf, primaryOf } from './feature-parts.ts'
import { colourDesign, colourDim, colourPartKey } from './parts/colour-designs.ts'
import type { EngineName } from './onnx/engines.ts'

export interface ExtractRequest {
  spec: BackboneSpec
  images: ExtractImage[]
  batchSize?: number
  cacheDir?: string
  /** the engine chosen (default: TF.js on the fastest backend that works) */
  engine?: EngineName
}

/** `engine`: the one that ran (ONNX falls back to TF.js when it cannot take the model) */
export type ExtractResult = ExtractReport & { backend: BackendInfo; engine: EngineName }

export type ExtractImagesProgress = ExtractProgress | { phase: 'download'; done: number; total: number }

/**
 * Features of `images` for every part of the spec: the primary backbone (with colour statistics from its
 * decode), then each further model in turn. The result's key is the spec's (composite) feature key.
 */
export async function extractImages(
  db: Database,
  req: ExtractRequest,
  opts: { signal?: AbortSignal; onProgress?: (p: ExtractImagesProgress) => void } = {},
): Promise<ExtractResult> {
  const backend = await initEngineBackend(req.engine)
  const specs = [primaryOf(req.spec), ...(req.spec.also ?? [])]
  const colour = req.spec.colour
    ? { key: colourPartKey(req.spec.colour, req.spec.inputSize), prep: colourPrep(req.spec.colour), design: colourDesign(req.spec.colour).design }
    : undefined
  const reports: ExtractReport[] = []
  let engineUsed: EngineName | undefined
  for (const [i, spec] of specs.entries()) {
    // Progress runs over all parts: each part's images count once per part.
    const offset = i * new Set(req.images.map((img) => img.hash)).size
    const { extractor, engine } = await openBackbone(spec, req.engine, {
      cacheDir: req.cacheDir,
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ phase: 'download', done: p.done, total: p.total }),
    })
    engineUsed ??= engine
    try {
      const report = await extractFeatures(db, extractor, req.images, {
        batchSize: req.batchSize,
        signal: opts.signal,
        colour: i === 0 ? colour : undefined,
        onProgress: (p) => opts.onProgress?.({ phase: 'extract', done: offset + p.done, total: p.total * specs.length }),
      })
      reports.push(report)
    } finally {
      extractor.dispose()
    }
  }
  const combined = combineReports(reports, featureKeyOf(req.spec))
  return { ...combined, dim: combined.dim + (req.spec.colour ? colourDim(req.spec.colour) : 0), backend, engine: engineUsed ?? 'cpu' }
}

/** One report for all parts: an image is cached only when every part was, skipped when any part skipped it. */
function combineReports(reports: readonly ExtractReport[], key: string): ExtractReport {
  const first = reports[0] as ExtractReport
  if (reports.length === 1) return { ...first, key }
  const skipped = new Map(reports.flatMap((r) => r.skipped.map((s) => [s.hash, s] as const)))
  return {
    key,
    prep: first.prep,
    dim: reports.reduce((sum, r) => sum + r.dim, 0),
    total: first.total,
    cached: Math.min(...reports.map((r) => r.cached)),
    computed: Math.max(...reports.map((r) => r.computed)),
    skipped: [...skipped.values()],
    seconds: reports.reduce((sum, r) => sum + r.seconds, 0),
  }
}
