import type { Project } from '../dataset/project.ts'
import type { ExportRunResult } from '../ml/export/export-run.ts'
import { getRun } from '../ml/runs.ts'
import type { ExportModelJobInput } from './kinds/export-model.ts'
import { runJob, type JobCounts } from './run-job.ts'

/** Exports a run (default: the latest) in a child process; see exportRun. */
export async function exportModel(
  project: Project,
  opts: { runId?: number; outDir: string; appVersion: string; cacheDir?: string; checkImages?: number; onnx?: boolean; onProgress?: (p: JobCounts) => void; signal?: AbortSignal },
): Promise<ExportRunResult> {
  // Refuses a missing run here, before a process starts.
  const runId = getRun(project.db, opts.runId).id
  const input: ExportModelJobInput = { projectFile: project.file, runId, outDir: opts.outDir, appVersion: opts.appVersion, cacheDir: opts.cacheDir, checkImages: opts.checkImages, onnx: opts.onnx }
  return runJob('export-model', input, { onProgress: opts.onProgress, signal: opts.signal })
}
