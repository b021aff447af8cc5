// The team server under load (opt-in: `npm run bench -- team-load`): 20 members, each a user with a
// token and a WebSocket, send 50 cell edits a second in all to `tagsmith serve` processes for 60 s. Runs on
// a project file with one server, then on a throwaway PostgreSQL cluster with one and with two servers.
// Options: --seconds=N, --labelers=N, --rate=N (edits/s), --store=file|pg|postgresql://… (an empty
// database) with --servers=N to run just that one.
import { join } from 'node:path'
import { teamProject } from '../tests/support/team-server/team-project.ts'
import { loadRun } from './team-serve/load-run.ts'
import { BenchPlace, numberOption, storeOption, type StoreChoice } from './team-serve/options.ts'

export const optIn = true

export async function bench(): Promise<Record<string, unknown>> {
  const seconds = numberOption('seconds', 60, 1, 3600)
  const labelers = numberOption('labelers', 20, 1, 500)
  const rate = numberOption('rate', 50, 1, 5000)
  const chosen = storeOption()
  const runs: Array<[StoreChoice, number]> = chosen
    ? [[chosen, numberOption('servers', 1, 1, 8)]]
    : [
        [{ kind: 'file' }, 1],
        [{ kind: 'pg' }, 1],
        [{ kind: 'pg' }, 2],
      ]
  const place = new BenchPlace()
  const results: Record<string, unknown> = {}
  try {
    for (const [n, [store, servers]] of runs.entries()) {
      if (store.kind === 'file' && servers > 1) throw new Error('--servers: several servers share a team store (PostgreSQL), not a project file')
      const name = `${store.kind === 'file' ? 'file' : 'postgresql'}${servers}`
      const dir = join(place.dir, `run${n}`)
      try {
        const databaseUrl = store.kind === 'pg' ? await place.database() : store.kind === 'url' ? store.url : undefined
        const members = Array.from({ length: labelers }, (_, i) => `labeler${String(i + 1).padStart(2, '0')}`)
        const project = await teamProject(dir, { members, ...(databaseUrl === undefined ? {} : { databaseUrl }) })
        results[name] = { images: project.imageIds.length, labels: project.labels.length, ...(await loadRun(project, { servers, seconds, rate, workDir: dir })) }
      } catch (err) {
        // One configuration failing (serve refusing a database, say) still leaves the others' figures.
        results[name] = { error: err instanceof Error ? err.message : String(err) }
      }
    }
  } finally {
    await place.close()
  }
  return { teamLoad: { targetEditsPerSecond: rate, ...results } }
}
