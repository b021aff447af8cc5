// Labelling images that are not in the project with a stored run. It runs in a resident child process
// (resident-job.ts) that keeps the run's backbone loaded between calls, or in the CLI's own process.
import { TagsmithError } from '../../errors.ts'
import type { EngineName } from '../../ml/onnx/engines.ts'
import { TryModelCache } from '../../ml/try-cache.ts'
import type { TryOutcome, TryRun } from '../../ml/try-model.ts'
import type { JobContext } from '../protocol.ts'

export interface TryJobInput {
  /** the project and run the model belongs to: what the warm model is kept under */
  key: string
  run: TryRun
  files: Array<{ name: string; bytes: Uint8Array }>
  cacheDir?: string
  engine?: EngineName
}

export interface TryJobResult {
  runId: number
  engine: EngineName
  /** whether the model was loaded for this call, and how long that took (ms) */
  cold: boolean
  loadMs: number
  results: TryOutcome[]
}

const cache = new TryModelCache()

export async function run(input: TryJobInput, ctx: JobContext): Promise<TryJobResult> {
  const { model, cold } = await cache.get(input.key, input.run, { cacheDir: input.cacheDir, engine: input.engine })
  const results: TryOutcome[] = []
  for (const [i, file] of input.files.entries()) {
    if (ctx.signal.aborted) throw new TagsmithError('CANCELLED', `cancelled after ${i} of ${input.files.length} images`)
    results.push(await model.predict(file.name, file.bytes))
  }
  return { runId: input.run.id, engine: model.engine, cold, loadMs: cold ? model.loadMs : 0, results }
}

/** Drops the warm models (the process keeps running). */
export function forget(): void {
  cache.clear()
}
