// Test job: a feature extraction whose process dies hard after `crashAfter` images are committed.
import { openDatabase } from '../../../../src-main/core/db/open.ts'
import { initBackend } from '../../../../src-main/core/ml/backend.ts'
import type { BackboneSpec } from '../../../../src-main/core/ml/backbones/catalog.ts'
import { loadBackbone } from '../../../../src-main/core/ml/backbones/load.ts'
import { extractFeatures, type ExtractImage } from '../../../../src-main/core/ml/extract.ts'

export async function run(input: { dbFile: string; spec: BackboneSpec; images: ExtractImage[]; batchSize: number; crashAfter: number }): Promise<never> {
  await initBackend({ only: ['cpu'] })
  const db = openDatabase(input.dbFile)
  const extractor = await loadBackbone(input.spec)
  await extractFeatures(db, extractor, input.images, {
    batchSize: input.batchSize,
    onProgress: (p) => {
      if (p.done >= input.crashAfter) process.kill(process.pid, 'SIGKILL')
    },
  })
  throw new Error('should have crashed')
}
