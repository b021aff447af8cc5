// Child-process job: write a run as a self-checked model folder (TF.js model, model.onnx, tagsmith.json).
import { Project } from '../../dataset/project.ts'
import { initBackend } from '../../ml/backend.ts'
import { exportRun, type ExportRunResult } from '../../ml/export/export-run.ts'
import type { JobContext } from '../protocol.ts'

export interface ExportModelJobInput {
  projectFile: string
  runId?: number
  outDir: string
  appVersion: string
  cacheDir?: string
  checkImages?: number
  /** write model.onnx too (default true) */
  onnx?: boolean
}

export async function run(input: ExportModelJobInput, ctx: JobContext): Promise<ExportRunResult> {
  await initBackend()
  const project = Project.open(input.projectFile)
  try {
    return await exportRun(project, {
      runId: input.runId,
      outDir: input.outDir,
      appVersion: input.appVersion,
      cacheDir: input.cacheDir,
      checkImages: input.checkImages,
      onnx: input.onnx,
      signal: ctx.signal,
      onProgress: (p) => ctx.progress(p),
    })
  } finally {
    project.close()
  }
}
