// The answer to trying images, shared by the service (model:try) and `tagsmith predict <project> --run N`:
// the run's current thresholds, the groups the app decides by, and each image's decisions by the same
// function the Predictions panel decides with (src-shared/label-decisions.ts).
import type { TryAnswer } from '../../../src-preload/contract.ts'
import { decideLabels } from '../../../src-shared/label-decisions.ts'
import type { Project } from '../dataset/project.ts'
import { decodingGroups } from './label-groups.ts'
import { getRun, type RunRecord } from './runs.ts'
import type { TryOutcome, TryRun } from './try-model.ts'

/** A run as trying images uses it: what the model needs, and the rule that decides. */
export interface TrySetup {
  run: RunRecord
  /** what the warm model is kept under: the project file and the run (ids restart in another project) */
  key: string
  thresholds: number[]
  groups: string[][]
}

export function trySetup(project: Project, runId: number | undefined): TrySetup {
  const run = getRun(project.db, runId)
  return {
    run,
    key: `${project.file}#${run.id}#${run.createdAt}`,
    thresholds: run.thresholds ?? run.labels.map(() => 0.5),
    groups: decodingGroups(project, run),
  }
}

/** What the model half needs of a run (sent to the child that keeps it warm). */
export function tryRunOf(run: RunRecord): TryRun {
  return { id: run.id, backbone: run.backbone, head: run.head }
}

export function tryAnswer(
  setup: TrySetup,
  decodeGroups: boolean,
  out: { engine: string; cold: boolean; loadMs: number; results: readonly TryOutcome[] },
): TryAnswer {
  const { run, thresholds, groups } = setup
  const L = run.labels.length
  const at = new Map(run.labels.map((l, j) => [l, j]))
  const groupCols = groups.map((g) => g.flatMap((l) => at.get(l) ?? []))
  return {
    runId: run.id,
    labels: [...run.labels],
    thresholds: [...thresholds],
    groups: groups.map((g) => [...g]),
    decodeGroups,
    engine: out.engine,
    cold: out.cold,
    loadMs: out.loadMs,
    results: out.results.map((r) => {
      if ('error' in r) return { name: r.name, error: { code: r.error.code, message: r.error.message } }
      const decision = decideLabels(r.probs, 1, L, thresholds, groupCols, decodeGroups)
      return { name: r.name, probs: Array.from(r.probs), decision: Array.from(decision, (d) => (d === 1 ? 1 : 0)), timings: { ...r.timings } }
    }),
  }
}
