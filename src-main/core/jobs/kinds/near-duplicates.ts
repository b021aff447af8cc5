// Child-process job: the near-duplicate search of a health report. Comparing every pair of images runs
// blocked matrix products on ONNX Runtime over every core, which must not stall the process serving the UI.
import { openDatabase } from '../../db/open.ts'
import { searchNearDuplicates, type NearDuplicateOutcome, type NearDuplicateRequest } from '../../health/near-duplicate-search.ts'
import type { JobContext } from '../protocol.ts'

export type NearDuplicatesJobInput = NearDuplicateRequest & { dbFile: string }

export async function run(input: NearDuplicatesJobInput, ctx: JobContext): Promise<NearDuplicateOutcome> {
  const db = openDatabase(input.dbFile, { readonly: true })
  try {
    return await searchNearDuplicates(db, input, { signal: ctx.signal, onProgress: (p) => ctx.progress(p) })
  } finally {
    db.close()
  }
}
