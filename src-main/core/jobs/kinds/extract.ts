// Child-process job: load the backbone, then compute and cache features for the images lacking them.
import { openDatabase } from '../../db/open.ts'
import { initBackend, type BackendInfo } from '../../ml/backend.ts'
import type { BackboneSpec } from '../../ml/backbones/catalog.ts'
import { loadBackbone } from '../../ml/backbones/load.ts'
import { extractFeatures, type ExtractImage, type ExtractReport } from '../../ml/extract.ts'
import type { JobContext } from '../protocol.ts'

export interface ExtractJobInput {
  dbFile: string
  spec: BackboneSpec
  images: ExtractImage[]
  batchSize?: number
  cacheDir?: string
}

export type ExtractJobResult = ExtractReport & { backend: BackendInfo }

export async function run(input: ExtractJobInput, ctx: JobContext): Promise<ExtractJobResult> {
  const backend = await initBackend()
  const db = openDatabase(input.dbFile)
  try {
    const extractor = await loadBackbone(input.spec, {
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
      return { ...report, backend }
    } finally {
      extractor.dispose()
    }
  } finally {
    db.close()
  }
}
