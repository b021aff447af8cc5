import type { Project } from '../../dataset/project.ts'
import type { ExportModelJobInput } from '../../jobs/kinds/export-model.ts'
import { runJob, type JobProgress } from '../../jobs/run-job.ts'
import { getRun } from '../runs.ts'
import type { ExportRunResult } from './export-run.ts'

/** Exports a run (default: the latest) in a child process; see exportRun. */
export async function exportModel(
  project: Project,
  opts: { runId?: number; outDir: string; appVersion: string; cacheDir?: string; checkImages?: number; onnx?: boolean; onProgress?: (p: JobProgress) => void; signal?: AbortSignal },
): Promise<ExportRunResult> {
  // Refuses a missing run here, before a process starts.
  const runId = getRun(project.db, opts.runId).id
  const input: ExportModelJobInput = { projectFile: project.file, runId, outDir: opts.outDir, appVersion: opts.appVersion, cacheDir: opts.cacheDir, checkImages: opts.checkImages, onnx: opts.onnx }
  return runJob<ExportRunResult>('export-model', input, { onProgress: opts.onProgress, signal: opts.signal })
}
