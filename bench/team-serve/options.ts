// Options of the team server's benches, given after the module's name as --name=value
// (`npm run bench -- team-load --seconds=10 --store=file`); run.ts leaves them to the modules.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { isPostgresUrl } from '../../src-main/core/store/open-store.ts'
import { startCluster, type Cluster } from '../../tests/support/postgres-cluster.ts'

/** The value of --name=value, or undefined when not given. */
export function option(name: string): string | undefined {
  const prefix = `--${name}=`
  return process.argv.slice(2).find((arg) => arg.startsWith(prefix))?.slice(prefix.length)
}

export function numberOption(name: string, fallback: number, min: number, max: number): number {
  const text = option(name)
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name}: give a number from ${min} to ${max}, got ${JSON.stringify(text)}`)
  return value
}

/** Where a run's project lives: a new project file, a database of a throwaway cluster, or an empty database given by URL. */
export type StoreChoice = { kind: 'file' } | { kind: 'pg' } | { kind: 'url'; url: string }

/** --store=file|pg|postgresql://… (an empty database); undefined when not given. */
export function storeOption(): StoreChoice | undefined {
  const text = option('store')
  if (text === undefined) return undefined
  if (text === 'file' || text === 'pg') return { kind: text }
  if (isPostgresUrl(text)) return { kind: 'url', url: text }
  throw new Error('--store: give file, pg (a throwaway PostgreSQL cluster) or the postgresql:// URL of an empty database')
}

/** A temp folder and, for PostgreSQL, the cluster a run's databases are made on. */
export class BenchPlace {
  readonly dir = mkdtempSync(join(tmpdir(), 'tagsmith-bench-team-serve-'))
  cluster: Cluster | undefined
  #databases = 0

  /** A new empty database's URL: on the throwaway cluster, started at the first call. */
  async database(): Promise<string> {
    this.cluster ??= await startCluster()
    const name = `bench_team_serve_${process.pid}_${++this.#databases}`
    const admin = new pg.Client({ connectionString: `${this.cluster.baseUrl}/postgres` })
    await admin.connect()
    try {
      await admin.query(`CREATE DATABASE ${name}`)
    } finally {
      await admin.end()
    }
    return `${this.cluster.baseUrl}/${name}`
  }

  async close(): Promise<void> {
    try {
      await this.cluster?.stop()
    } finally {
      rmSync(this.dir, { recursive: true, force: true })
    }
  }
}

/** p50, p95 and max of a list of milliseconds, rounded to 0.1 ms (nulls for none). */
export function spread(values: number[]): { p50: number | null; p95: number | null; max: number | null; n: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number): number | null => {
    const value = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]
    return value === undefined ? null : Math.round(value * 10) / 10
  }
  return { p50: at(0.5), p95: at(0.95), max: at(1), n: sorted.length }
}
