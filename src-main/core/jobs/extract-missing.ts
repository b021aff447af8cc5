import type { Database } from 'better-sqlite3'
import { TagsmithError } from '../errors.ts'
import type { BackboneSpec } from '../ml/backbones/catalog.ts'
import { extractImages } from '../ml/extract-images.ts'
import { prepVersion, type ExtractImage } from '../ml/extract.ts'
import { cachedHashes } from '../ml/feature-cache.ts'
import { featureKeyOf } from '../ml/feature-parts.ts'
import type { EngineName } from '../ml/onnx/engines.ts'
import type { Extraction } from '../ml/train-run.ts'
import { extractInParallel, extractWorkersFor } from './extract-parallel.ts'
import type { JobCounts } from './protocol.ts'

export interface ExtractMissingOptions {
  batchSize?: number
  cacheDir?: string
  /** extraction processes (default: one with ONNX Runtime, else one per core, up to 4) */
  workers?: number
  onProgress?: (p: JobCounts) => void
  signal?: AbortSignal
}

/**
 * Features for every image of a project file, computing only what the cache lacks; runs inside a job's
 * process. When nothing is missing (a retrain after label edits) no model is loaded. An engine that
 * threads by itself extracts right here; TF.js on WASM or in JavaScript uses one core per process, so it
 * fans out to extraction processes, each committing its own batches.
 */
export async function extractMissing(
  db: Database,
  dbFile: string,
  spec: BackboneSpec,
  images: ExtractImage[],
  engine: EngineName,
  opts: ExtractMissingOptions = {},
): Promise<Extraction> {
  const key = featureKeyOf(spec)
  const prep = prepVersion(spec)
  const distinct = new Set(images.map((i) => i.hash))
  const have = cachedHashes(db, key, prep, distinct)
  if (have.size === distinct.size) {
    opts.onProgress?.({ phase: 'extract', done: distinct.size, total: distinct.size })
    return { key, prep, total: distinct.size, cached: have.size, computed: 0, skipped: [], engine }
  }
  const request = { spec, images, batchSize: opts.batchSize, cacheDir: opts.cacheDir, engine }
  const workers = opts.workers ?? extractWorkersFor({ engine })
  // In the desktop app this runs in an Electron utility process, whose children would be the Electron binary
  // run as Node, which a packaged app's RunAsNode fuse refuses: there every engine extracts right here.
  const here = (engine === 'onnx' && workers === 1) || process.versions.electron !== undefined
  const result = here
    ? await extractImages(db, request, { signal: opts.signal, onProgress: opts.onProgress })
    : await extractInParallel(
        { ...request, dbFile },
        { workers, onProgress: opts.onProgress, signal: opts.signal },
      )
  if (result.key !== key)
    throw new TagsmithError('CONFLICT', `backbone ${spec.id} changed while features were extracted`)
  return result
}
