// Child-process job: load the backbone, then compute and cache features for the images lacking them.
import { openDatabase } from '../../db/open.ts'
import { extractImages, type ExtractRequest, type ExtractResult } from '../../ml/extract-images.ts'
import type { JobContext } from '../protocol.ts'

export type ExtractJobInput = ExtractRequest & { dbFile: string }

export type ExtractJobResult = ExtractResult

export async function run(input: ExtractJobInput, ctx: JobContext): Promise<ExtractJobResult> {
  const db = openDatabase(input.dbFile)
  try {
    return await extractImages(db, input, { signal: ctx.signal, onProgress: (p) => ctx.progress(p) })
  } finally {
    db.close()
  }
}
