import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectPool, parsePgUrl } from '../../../src-main/core/store/pg-connect.ts'
import { ensureSchema, PROJECT_TABLES } from '../../../src-main/core/store/pg-schema.ts'
import { openPostgresStore } from '../../../src-main/core/store/postgres-store.ts'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { tempDir } from '../../unit/dataset/helpers.ts'
import { join } from 'node:path'

async function sql(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query(text)
  } finally {
    await client.end()
  }
}

const latest = loadMigrations(join(import.meta.dirname, '../../../src-main/core/store/pg-migrations')).at(-1)?.version ?? 0

describe.skipIf(!pgEnabled())('PostgreSQL schema', () => {
  let pool: pg.Pool
  let url: string
  beforeAll(async () => {
    url = await freshDatabase()
    pool = await connectPool(parsePgUrl(url))
  })
  afterAll(async () => {
    await pool.end()
  })

  it('initialises an empty database once, recording the application and the level', async () => {
    expect(await ensureSchema(pool, 'db')).toBe(latest)
    // A second connect finds nothing to do and keeps the rows.
    await pool.query("INSERT INTO settings (key, json) VALUES ('k', '1')")
    expect(await ensureSchema(pool, 'db')).toBe(latest)
    const meta = await pool.query('SELECT key, value FROM tagsmith_meta ORDER BY key')
    expect(meta.rows).toEqual([
      { key: 'application', value: 'tagsmith' },
      { key: 'schema_version', value: String(latest) },
    ])
    expect((await pool.query('SELECT json FROM settings')).rows).toEqual([{ json: '1' }])
  })

  it('holds every table and column of a project file after the SQLite migrations', async () => {
    const db = openDatabase(join(tempDir(), 'p.tagsmith'))
    const fileTables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]).sort()
    expect(fileTables).toEqual([...PROJECT_TABLES].sort())
    for (const table of fileTables) {
      const fileColumns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table)
      const pgColumns = await pool.query<{ column_name: string }>(
        'SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position',
        [table],
      )
      expect(pgColumns.rows.map((r) => r.column_name), table).toEqual(fileColumns)
    }
    db.close()
  })

  it('refuses a database written by a newer Tagsmith, naming both levels and writing nothing', async () => {
    const newer = await freshDatabase()
    await sql(newer, "CREATE TABLE tagsmith_meta (key text PRIMARY KEY, value text NOT NULL); INSERT INTO tagsmith_meta VALUES ('application', 'tagsmith'), ('schema_version', '9999')")
    await expect(openPostgresStore(newer)).rejects.toMatchObject({
      code: 'TOO_NEW',
      message: expect.stringContaining(`was written by a newer Tagsmith (schema 9999, this one knows ${latest})`),
    })
    const tables = await sql(newer, "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'")
    expect(tables.rows[0].n).toBe(1)
  })

  it("refuses another application's database and leaves it as it was", async () => {
    const other = await freshDatabase()
    await sql(other, 'CREATE TABLE invoices (id int PRIMARY KEY)')
    await expect(openPostgresStore(other)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/is another application's database .*invoices/),
    })
    const tables = await sql(other, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
    expect(tables.rows).toEqual([{ table_name: 'invoices' }])
  })

  it('opens no store on a database without a project, saying how to copy one in', async () => {
    const empty = await freshDatabase()
    await expect(openPostgresStore(empty)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/holds no project yet: copy one in with tagsmith migrate/) })
  })
})
