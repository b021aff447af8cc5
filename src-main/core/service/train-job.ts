// Child-process job: one whole training run (feature extraction and head training fork their own
// children from here). It runs outside the service's process so that loading TF.js and the
// orchestration's own work never stall the UI's process; the service forwards what it reports.
import { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import type { JobContext } from '../jobs/protocol.ts'
import { trainProject } from '../jobs/train-project.ts'
import type { EngineName } from '../ml/onnx/engines.ts'
import type { TrainConfig } from '../ml/train.ts'

export interface TrainRunInput {
  projectFile: string
  /** The project's rows as they were when training was asked for: later edits do not reach this run. */
  rows: ImageRecord[]
  backbone?: string
  config: Partial<TrainConfig>
  cacheDir?: string
  /** the extraction engine asked for (default: TAGSMITH_ENGINE, else the fastest available) */
  engine?: EngineName
}

export interface TrainRunResult {
  runId: number
  backend: string
  device: string
  engine: EngineName
  backbone: string
  timings: { extractSeconds: number; trainSeconds: number }
  extraction: { total: number; cached: number; computed: number; skipped: number }
  rows: { train: number; val: number; valSource: 'val' | 'holdout' }
  metrics: Awaited<ReturnType<typeof trainProject>>['metrics']
}

export async function run(input: TrainRunInput, ctx: JobContext): Promise<TrainRunResult> {
  const project = Project.open(input.projectFile)
  // trainProject reads the rows once, first thing; hand it the snapshot taken when Train was pressed
  // rather than whatever the database holds by the time this process is up.
  project.images = () => input.rows
  try {
    const outcome = await trainProject(project, {
      backbone: input.backbone,
      config: input.config,
      cacheDir: input.cacheDir,
      engine: input.engine,
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(p),
      onEpoch: (e) => ctx.emit('epoch', e),
    })
    return {
      runId: outcome.runId,
      backend: outcome.backend,
      device: outcome.device,
      engine: outcome.engine,
      backbone: outcome.backbone,
      timings: outcome.timings,
      extraction: { ...outcome.extraction, skipped: outcome.extraction.skipped.length },
      rows: outcome.rows,
      metrics: outcome.metrics,
    }
  } finally {
    project.close()
  }
}
