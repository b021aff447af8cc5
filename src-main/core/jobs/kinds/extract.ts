// Child-process job: load the backbone, then compute and cache features for the images lacking them.
import { openDatabase } from '../../db/open.ts'
import type { BackendInfo } from '../../ml/backend.ts'
import type { BackboneSpec } from '../../ml/backbones/catalog.ts'
import { initEngineBackend, openBackbone } from '../../ml/backbones/engine-choice.ts'
import type { EngineName } from '../../ml/onnx/engines.ts'
import { extractFeatures, type ExtractImage, type ExtractReport } from '../../ml/extract.ts'
import type { JobContext } from '../protocol.ts'

export interface ExtractJobInput {
  dbFile: string
  spec: BackboneSpec
  images: ExtractImage[]
  batchSize?: number
  cacheDir?: string
  /** the engine the parent chose (default: TF.js on the fastest backend that works) */
  engine?: EngineName
}

/** `engine`: the one that ran (ONNX falls back to TF.js when it cannot take the model) */
export type ExtractJobResult = ExtractReport & { backend: BackendInfo; engine: EngineName }

export async function run(input: ExtractJobInput, ctx: JobContext): Promise<ExtractJobResult> {
  const backend = await initEngineBackend(input.engine)
  const db = openDatabase(input.dbFile)
  try {
    const { extractor, engine } = await openBackbone(input.spec, input.engine, {
      cacheDir: input.cacheDir,
      signal: ctx.signal,
      onProgress: (p) => ctx.progress({ phase: 'download', done: p.done, total: p.total }),
    })
    try {
      const report = await extractFeatures(db, extractor, input.images, {
        batchSize: input.batchSize,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      })
      return { ...report, backend, engine }
    } finally {
      extractor.dispose()
    }
  } finally {
    db.close()
  }
}
