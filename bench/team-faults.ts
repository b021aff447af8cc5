// Faults under the team server (opt-in: `npm run bench -- team-faults`): ten trials each on a project file
// and on a throwaway PostgreSQL cluster in which `tagsmith serve` is SIGKILLed at a random moment while
// three members send edits as fast as they can; every acknowledged edit must be in the store. On PostgreSQL
// also one trial that restarts the database mid-burst. Options: --trials=N, --down-ms=N (how long the
// database stays down), --store=file|pg|postgresql://… (an empty database: no restart trial) for one store.
import { join } from 'node:path'
import { killTrial, type KillTrialResult } from '../tests/support/team-server/kill-trial.ts'
import { teamProject } from '../tests/support/team-server/team-project.ts'
import { BenchPlace, numberOption, storeOption, type StoreChoice } from './team-serve/options.ts'
import { restartTrial } from './team-serve/restart-trial.ts'

export const optIn = true

const KILL_MIN_MS = 200
const KILL_MAX_MS = 1500
const MEMBERS = ['ana', 'ben', 'cy']

export async function bench(): Promise<Record<string, unknown>> {
  const trials = numberOption('trials', 10, 1, 1000)
  const downMs = numberOption('down-ms', 2000, 0, 60_000)
  const chosen = storeOption()
  const stores: StoreChoice[] = chosen ? [chosen] : [{ kind: 'file' }, { kind: 'pg' }]
  const place = new BenchPlace()
  const results: Record<string, unknown> = {}
  try {
    for (const store of stores) {
      const name = store.kind === 'file' ? 'file' : 'postgresql'
      const dir = join(place.dir, name)
      try {
        const databaseUrl = store.kind === 'pg' ? await place.database() : store.kind === 'url' ? store.url : undefined
        // 200 rows: edits land on many cells, and the replay check stays quick.
        const project = await teamProject(dir, { rows: 200, members: MEMBERS, ...(databaseUrl === undefined ? {} : { databaseUrl }) })
        const runs: KillTrialResult[] = []
        for (let trial = 0; trial < trials; trial++) {
          const killAfterMs = KILL_MIN_MS + Math.floor(Math.random() * (KILL_MAX_MS - KILL_MIN_MS))
          runs.push(await killTrial(project, { members: project.members, killAfterMs, workDir: join(dir, `kill${trial}`) }))
        }
        const restart =
          store.kind === 'pg' && place.cluster
            ? await restartTrial(project, place.cluster, { members: project.members, downMs, workDir: join(dir, 'restart') }).catch((err: unknown) => ({
                error: err instanceof Error ? err.message : String(err),
              }))
            : undefined
        results[name] = { ...summarise(runs), ...(restart ? { databaseRestart: restart } : {}) }
      } catch (err) {
        results[name] = { error: err instanceof Error ? err.message : String(err) }
      }
    }
  } finally {
    await place.close()
  }
  return { teamFaults: results }
}

function summarise(runs: KillTrialResult[]): Record<string, unknown> {
  const sum = (pick: (run: KillTrialResult) => number): number => runs.reduce((total, run) => total + pick(run), 0)
  const lostExamples = runs.flatMap((run) => run.lostExamples).slice(0, 5)
  const mismatchExamples = runs.flatMap((run) => run.mismatchExamples).slice(0, 5)
  return {
    killTrials: runs.length,
    killedBySigkill: runs.filter((run) => run.exit === 'SIGKILL').length,
    sent: sum((run) => run.sent),
    acknowledged: sum((run) => run.acknowledged),
    lost: sum((run) => run.lost),
    ...(lostExamples.length > 0 ? { lostExamples } : {}),
    refused: sum((run) => run.refused),
    unanswered: sum((run) => run.unanswered),
    /** Unanswered edits that were saved all the same (the kill came between the commit and the answer). */
    unansweredLanded: sum((run) => run.landedUnacknowledged),
    exportMismatches: sum((run) => run.cellMismatches),
    ...(mismatchExamples.length > 0 ? { mismatchExamples } : {}),
    /** Per trial: [ms after the burst began that the kill came, acknowledged, unanswered, unanswered landed]. */
    trials: runs.map((run) => [run.killAfterMs, run.acknowledged, run.unanswered, run.landedUnacknowledged]),
  }
}
