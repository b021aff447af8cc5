import type { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import { resolveChoice } from '../ml/backbones/presets.ts'
import type { EpochEvent } from '../ml/train.ts'
import type { TrainJobInput, TrainJobResult } from './kinds/train.ts'
import { runJob, type JobCounts } from './run-job.ts'

// From a project to a stored run, in one child process (kinds/train.ts).

export type { TrainOutcome } from '../ml/train-run.ts'

export type TrainProjectOptions = Omit<TrainJobInput, 'projectFile' | 'rows'> & {
  /** the rows (with labels) as they were when training was asked for; default: read them now */
  rows?: readonly ImageRecord[]
  onProgress?: (p: JobCounts) => void
  onEpoch?: (e: EpochEvent) => void
  signal?: AbortSignal
}

/**
 * Train a run on a project: snapshot the labels, extract missing features, train the head on 'train'
 * rows and validate on 'val' rows (or a stratified holdout of train), store the run. Label edits made
 * meanwhile do not affect this run.
 */
export async function trainProject(project: Project, opts: TrainProjectOptions = {}): Promise<TrainJobResult> {
  const { rows, onProgress, onEpoch, signal, ...settings } = opts
  resolveChoice(settings) // refuses an unknown preset or backbone before a process starts
  const input: TrainJobInput = { ...settings, projectFile: project.file, rows: [...(rows ?? project.images())] }
  return runJob('train', input, { signal, onProgress, onEvent: ({ data }) => onEpoch?.(data) })
}
