// The team store's schema: numbered files in pg-migrations/, applied in one transaction when a store
// connects, the level kept in tagsmith_meta. An empty database is initialised; one holding another
// application's tables, or written by a newer Tagsmith, is refused before anything is written.
import { join } from 'node:path'
import type pg from 'pg'
import { loadMigrations, type Migration } from '../db/migrations.ts'
import { TagsmithError } from '../errors.ts'
import { inTransaction } from './pg-connect.ts'

export const pgMigrationsDir = (): string => join(import.meta.dirname, 'pg-migrations')

// One lock id for "migrating a Tagsmith schema", so two processes connecting to a new database at once
// do not both create the tables.
const MIGRATION_LOCK = 7_346_192_001

/** Applies pending migrations; returns the schema version the database is at afterwards. */
export async function ensureSchema(
  pool: pg.Pool,
  shown: string,
  { initialise = true, migrations = loadMigrations(pgMigrationsDir()) }: { initialise?: boolean; migrations?: Migration[] } = {},
): Promise<number> {
  const latest = migrations.at(-1)?.version ?? 0
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK])
    const current = await schemaVersion(client, shown)
    if (current !== null && current > latest) {
      throw new TagsmithError(
        'TOO_NEW',
        `${shown} was written by a newer Tagsmith (schema ${current}, this one knows ${latest}). Update Tagsmith to use it.`,
      )
    }
    if (current === null) {
      if (!initialise) throw new TagsmithError('BAD_INPUT', `${shown} holds no project (an empty database)`)
      await client.query('CREATE TABLE tagsmith_meta (key text PRIMARY KEY, value text NOT NULL)')
      await client.query("INSERT INTO tagsmith_meta (key, value) VALUES ('application', 'tagsmith'), ('schema_version', '0')")
    }
    const from = current ?? 0
    for (const m of migrations.filter((m) => m.version > from)) await client.query(m.sql)
    if (latest > from) await client.query("UPDATE tagsmith_meta SET value = $1 WHERE key = 'schema_version'", [String(latest)])
    return Math.max(from, latest)
  })
}

/** The recorded schema version; null for an empty database; refuses another application's database. */
async function schemaVersion(client: pg.PoolClient, shown: string): Promise<number | null> {
  const tables = (
    await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
  ).rows.map((r) => r.table_name)
  if (!tables.includes('tagsmith_meta')) {
    if (tables.length === 0) return null
    throw new TagsmithError(
      'BAD_INPUT',
      `${shown} is another application's database (it holds ${tables.length} table${tables.length > 1 ? 's' : ''}, e.g. ${tables.sort()[0]}, and no Tagsmith schema); use an empty database`,
    )
  }
  const meta = new Map(
    (await client.query<{ key: string; value: string }>('SELECT key, value FROM tagsmith_meta')).rows.map((r) => [r.key, r.value]),
  )
  const version = Number(meta.get('schema_version'))
  if (meta.get('application') !== 'tagsmith' || !Number.isInteger(version)) {
    throw new TagsmithError('BAD_INPUT', `${shown} is another application's database (its tagsmith_meta does not name Tagsmith)`)
  }
  return version
}

/** The project's tables in an order where every table comes after the tables it references. */
export const PROJECT_TABLES = [
  'sources',
  'labels',
  'images',
  'image_labels',
  'edit_groups',
  'edit_log',
  'settings',
  'features',
  'runs',
  'run_predictions',
  'label_reviews',
  'uncertain_confirmations',
  'users',
] as const

/** Tables whose `id` is an identity column: their sequences follow the ids a copy wrote. */
export const ID_TABLES: readonly string[] = ['sources', 'labels', 'images', 'edit_groups', 'edit_log', 'runs']
