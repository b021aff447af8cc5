// Feature extraction in this process: open the backbone on the engine asked for, then fill the cache
// with the features of the images it lacks. The extract job runs this; so does a training run when its
// engine threads by itself (ONNX Runtime), rather than starting another process for it.
import type { Database } from 'better-sqlite3'
import { initEngineBackend, openBackbone } from './backbones/engine-choice.ts'
import type { BackendInfo } from './backend.ts'
import type { BackboneSpec } from './backbones/catalog.ts'
import { extractFeatures, type ExtractImage, type ExtractProgress, type ExtractReport } from './extract.ts'
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

export async function extractImages(
  db: Database,
  req: ExtractRequest,
  opts: { signal?: AbortSignal; onProgress?: (p: ExtractImagesProgress) => void } = {},
): Promise<ExtractResult> {
  const backend = await initEngineBackend(req.engine)
  const { extractor, engine } = await openBackbone(req.spec, req.engine, {
    cacheDir: req.cacheDir,
    signal: opts.signal,
    onProgress: (p) => opts.onProgress?.({ phase: 'download', done: p.done, total: p.total }),
  })
  try {
    const report = await extractFeatures(db, extractor, req.images, { batchSize: req.batchSize, signal: opts.signal, onProgress: opts.onProgress })
    return { ...report, backend, engine }
  } finally {
    extractor.dispose()
  }
}
