// Copies a whole project between a project file and a team store's PostgreSQL database: every table, every
// row, ids kept and id sequences advanced, in one transaction on each side, so a failed copy leaves the
// target as it was. Rows go to PostgreSQL in column arrays (INSERT … SELECT FROM unnest), one statement per
// few thousand rows, and come back through a cursor.
import Database from 'better-sqlite3'
import { existsSync, renameSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type pg from 'pg'
import { openDatabase } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import { connectionError, connectPool, inTransaction, parsePgUrl } from './pg-connect.ts'
import { ensureSchema, ID_TABLES, PROJECT_TABLES } from './pg-schema.ts'

export interface CopyResult {
  /** Rows copied per table. */
  tables: Record<string, number>
  rows: number
  seconds: number
}

export interface CopyOptions {
  /** Overwrite a target that already holds a project. */
  replace?: boolean
}

export interface PgColumn {
  name: string
  type: string
}

const BATCH_ROWS = 5000
const BATCH_BYTES = 16 * 1024 * 1024

/** The PostgreSQL schema's columns per table, in table order. */
export async function pgColumns(client: pg.PoolClient): Promise<Map<string, PgColumn[]>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
  )
  const byTable = new Map<string, PgColumn[]>()
  for (const r of rows) {
    const list = byTable.get(r.table_name) ?? []
    list.push({ name: r.column_name, type: r.data_type })
    byTable.set(r.table_name, list)
  }
  return byTable
}

/** Refuses a file whose tables lack a column PostgreSQL has, or have one it lacks (a schema this copy cannot carry). */
function checkColumns(db: Database.Database, columns: Map<string, PgColumn[]>, file: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[]
  const unknown = tables.filter((t) => !(PROJECT_TABLES as readonly string[]).includes(t))
  if (unknown.length > 0) {
    throw new TagsmithError('BAD_INPUT', `${file} holds tables the PostgreSQL schema lacks (${unknown.join(', ')}): update Tagsmith`)
  }
  for (const table of PROJECT_TABLES) {
    const inFile = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]).sort()
    const inPg = (columns.get(table) ?? []).map((c) => c.name).sort()
    const missing = inPg.filter((c) => !inFile.includes(c))
    const extra = inFile.filter((c) => !inPg.includes(c))
    if (missing.length > 0 || extra.length > 0) {
      throw new TagsmithError(
        'BAD_INPUT',
        `${file} and the PostgreSQL schema differ in table ${table} (${[...missing.map((c) => `no ${c} in the file`), ...extra.map((c) => `no ${c} in PostgreSQL`)].join(', ')}): update Tagsmith`,
      )
    }
  }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length * 2
  if (Buffer.isBuffer(value)) return value.length * 2
  return 8
}

/**
 * Inserts rows (arrays in column order) with one unnest statement per batch; `clauses` follow the unnest
 * (an alias and WHERE, ON CONFLICT) for a write-back that must skip or merge rows. Returns the rows written.
 */
export async function insertRows(client: pg.PoolClient, table: string, columns: PgColumn[], rows: Iterable<unknown[]>, clauses = ''): Promise<number> {
  const sql =
    `INSERT INTO ${quote(table)} (${columns.map((c) => quote(c.name)).join(', ')}) ` +
    `SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')})${clauses ? ` ${clauses}` : ''}`
  let arrays: unknown[][] = columns.map(() => [])
  let count = 0
  let pending = 0
  let bytes = 0
  const flush = async (): Promise<void> => {
    if (pending === 0) return
    count += (await client.query(sql, arrays)).rowCount ?? 0
    arrays = columns.map(() => [])
    pending = 0
    bytes = 0
  }
  for (const row of rows) {
    row.forEach((value, i) => {
      arrays[i]?.push(value)
      bytes += sizeOf(value)
    })
    pending++
    if (pending >= BATCH_ROWS || bytes >= BATCH_BYTES) await flush()
  }
  await flush()
  return count
}

/**
 * Upserts rows (arrays in column order) merged on `key`, only those for which every SQL condition on `r`
 * (the row as given) holds; returns the rows written.
 */
export async function upsertRows(client: pg.PoolClient, table: string, columns: PgColumn[], key: string[], rows: Iterable<unknown[]>, conditions: string[]): Promise<number> {
  const names = columns.map((c) => quote(c.name))
  const updates = columns.filter((c) => !key.includes(c.name)).map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`)
  const where = conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''
  return insertRows(client, table, columns, rows, `AS r (${names.join(', ')})${where} ON CONFLICT (${key.map(quote).join(', ')}) DO UPDATE SET ${updates.join(', ')}`)
}

/** Advances each id sequence past the ids now in its table (and past edit group ids used before, never reused). */
async function advanceSequences(client: pg.PoolClient, floors: Record<string, number> = {}): Promise<void> {
  for (const table of ID_TABLES) {
    const { rows } = await client.query<{ max: number | null }>(`SELECT max(id) AS max FROM ${quote(table)}`)
    const top = Math.max(rows[0]?.max ?? 0, floors[table] ?? 0)
    await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), $2, $3)`, [table, Math.max(top, 1), top > 0])
  }
}

/** Whether the database already holds a project; its image count. */
async function projectImages(client: pg.PoolClient): Promise<number | null> {
  const { rows } = await client.query<{ sources: number; images: number }>(
    'SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM images) AS images',
  )
  const row = rows[0]
  return row && row.sources > 0 ? row.images : null
}

function openProjectFile(file: string): Database.Database {
  const abs = resolve(file)
  if (!existsSync(abs)) throw new TagsmithError('NOT_FOUND', `project file not found: ${abs}`)
  const db = openDatabase(abs)
  const sources = db.prepare('SELECT count(*) FROM sources').pluck().get() as number
  if (sources === 0) {
    db.close()
    throw new TagsmithError('BAD_INPUT', `${abs} holds no imported dataset`)
  }
  return db
}

/** Copies the project file into the database (initialising its schema); refuses one holding a project unless `replace`. */
export async function copyFileToPostgres(file: string, url: string, options: CopyOptions = {}): Promise<CopyResult> {
  const target = parsePgUrl(url)
  const db = openProjectFile(file)
  try {
    const pool = await connectPool(target, 1)
    try {
      await ensureSchema(pool, target.shown)
      return await inTransaction(pool, (client) => copyIntoPostgres(db, client, resolve(file), target.shown, options))
    } catch (err) {
      throw connectionError(err, target)
    } finally {
      await pool.end()
    }
  } finally {
    db.close()
  }
}

async function copyIntoPostgres(
  db: Database.Database,
  client: pg.PoolClient,
  file: string,
  shown: string,
  options: CopyOptions,
): Promise<CopyResult> {
  const started = performance.now()
  const columns = await pgColumns(client)
  checkColumns(db, columns, file)
  // Nobody writes the project while it is replaced or filled.
  await client.query(`LOCK TABLE ${PROJECT_TABLES.map(quote).join(', ')} IN ACCESS EXCLUSIVE MODE`)
  const existing = await projectImages(client)
  if (existing !== null && !options.replace) {
    throw new TagsmithError('CONFLICT', `${shown} already holds a project (${existing} images); replace it to overwrite`)
  }
  if (existing !== null || (await client.query('SELECT 1 FROM labels LIMIT 1')).rowCount) {
    await client.query(`TRUNCATE ${PROJECT_TABLES.map(quote).join(', ')} RESTART IDENTITY CASCADE`)
  }
  const tables: Record<string, number> = {}
  // One read snapshot of the file for the whole copy.
  db.prepare('BEGIN').run()
  try {
    for (const table of PROJECT_TABLES) {
      const cols = columns.get(table) ?? []
      const rows = db.prepare(`SELECT ${cols.map((c) => quote(c.name)).join(', ')} FROM ${quote(table)}`).raw().iterate() as Iterable<unknown[]>
      try {
        tables[table] = await insertRows(client, table, cols, rows)
      } catch (err) {
        // A value SQLite's loose typing let in (text in a number column, say): name the file and table.
        const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : ''
        if (!/^(22|23)/.test(code)) throw err
        throw new TagsmithError('BAD_INPUT', `${file}: a row of ${table} does not fit PostgreSQL (${err instanceof Error ? err.message : String(err)}); nothing was copied`)
      }
    }
    const groupSeq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'edit_groups'").pluck().get() as number | undefined
    await advanceSequences(client, { edit_groups: groupSeq ?? 0 })
  } finally {
    // Only read: ending the snapshot keeps nothing either way.
    if (db.inTransaction) db.prepare('ROLLBACK').run()
  }
  return { tables, rows: Object.values(tables).reduce((a, b) => a + b, 0), seconds: (performance.now() - started) / 1000 }
}

/**
 * Writes the database's project to a new project file (through a temp file renamed into place); refuses an
 * existing file unless `replace`.
 */
export async function copyPostgresToFile(url: string, file: string, options: CopyOptions = {}): Promise<CopyResult> {
  const target = parsePgUrl(url)
  const abs = resolve(file)
  if (existsSync(abs) && !options.replace) throw new TagsmithError('CONFLICT', `${abs} already exists; replace it to overwrite`)
  const pool = await connectPool(target, 1)
  try {
    // Reading only: an empty database is not initialised here.
    await ensureSchema(pool, target.shown, { initialise: false })
    return await writeProjectFile(pool, abs, target.shown)
  } catch (err) {
    throw connectionError(err, target)
  } finally {
    await pool.end()
  }
}

/** The project in `pool`'s database written to `file` (replacing it). */
export async function writeProjectFile(pool: pg.Pool, file: string, shown: string): Promise<CopyResult> {
  const started = performance.now()
  const temp = join(dirname(file), `.${Date.now().toString(36)}-${process.pid}.tagsmith-copy`)
  const removeTemp = (): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(temp + suffix, { force: true })
  }
  try {
    const tables = await inTransaction(pool, (client) => copyToNewFile(client, temp, shown, { name: file }), 'REPEATABLE READ')
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true })
    renameSync(temp, file)
    return { tables, rows: Object.values(tables).reduce((a, b) => a + b, 0), seconds: (performance.now() - started) / 1000 }
  } finally {
    removeTemp()
  }
}

/**
 * The project as the transaction `client` is in sees it, written to `file` (a new project file made here,
 * called `name` in messages); the tables in `leaveOut` stay empty. Runs inside the caller's transaction, so a
 * caller that locked tables first copies exactly what it will write back over.
 */
export async function copyToNewFile(
  client: pg.PoolClient,
  file: string,
  shown: string,
  { leaveOut = [], name = file }: { leaveOut?: readonly string[]; name?: string } = {},
): Promise<Record<string, number>> {
  if ((await projectImages(client)) === null) throw new TagsmithError('BAD_INPUT', `${shown} holds no project`)
  const columns = await pgColumns(client)
  const db = openDatabase(file)
  try {
    checkColumns(db, columns, name)
    return await copyIntoFile(client, db, columns, leaveOut)
  } finally {
    db.close()
  }
}

async function copyIntoFile(client: pg.PoolClient, db: Database.Database, columns: Map<string, PgColumn[]>, leaveOut: readonly string[]): Promise<Record<string, number>> {
  const tables: Record<string, number> = {}
  // The rows come from a database that enforces the same keys: checking each again here only costs time.
  db.pragma('foreign_keys = OFF')
  db.prepare('BEGIN IMMEDIATE').run()
  try {
    for (const table of PROJECT_TABLES.filter((t) => !leaveOut.includes(t))) {
      const cols = (columns.get(table) ?? []).map((c) => quote(c.name))
      const insert = db.prepare(`INSERT INTO ${quote(table)} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
      await client.query(`DECLARE copy_rows NO SCROLL CURSOR FOR SELECT ${cols.join(', ')} FROM ${quote(table)}`)
      let count = 0
      const fetch = (): Promise<pg.QueryResult<unknown[]>> => {
        const query = client.query<unknown[]>({ text: `FETCH ${BATCH_ROWS} FROM copy_rows`, rowMode: 'array' })
        // Awaited below; a failure while this batch is still unread must not go unhandled meanwhile.
        query.catch(() => {})
        return query
      }
      let next = fetch()
      for (;;) {
        const batch = await next
        const more = batch.rows.length === BATCH_ROWS
        // The next batch travels while this one is written.
        if (more) next = fetch()
        for (const row of batch.rows) insert.run(...row)
        count += batch.rows.length
        if (!more) break
      }
      await client.query('CLOSE copy_rows')
      tables[table] = count
    }
    // Edit group ids are never reused: the file's counter starts where the database's sequence is.
    const { rows } = await client.query<{ last: number; called: boolean }>(
      `SELECT last_value AS last, is_called AS called FROM ${quote('edit_groups_id_seq')}`,
    )
    const last = rows[0]?.called ? rows[0].last : 0
    db.prepare("DELETE FROM sqlite_sequence WHERE name = 'edit_groups'").run()
    if (last > 0) db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('edit_groups', ?)").run(last)
    db.prepare('COMMIT').run()
  } catch (err) {
    if (db.inTransaction) db.prepare('ROLLBACK').run()
    throw err
  }
  return tables
}
