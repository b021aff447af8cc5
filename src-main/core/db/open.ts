import Database from 'better-sqlite3'
import { accessSync, constants, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { TagsmithError } from '../errors.ts'
import { projectFileError } from './errors.ts'
import { loadMigrations, type Migration } from './migrations.ts'

export type { Database } from 'better-sqlite3'

export interface OpenOptions {
  /** Migration files to apply; defaults to the ones shipped beside this module. */
  migrations?: Migration[]
  readonly?: boolean
}

/**
 * Opens (or creates) a project database: WAL, foreign keys, and every pending numbered migration
 * applied in one transaction. A file whose schema is newer than this code is refused. A file that is
 * refused (empty, another program's database, damaged) is refused before anything is written to it.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Database.Database {
  // An existing empty file is not a new project: SQLite would happily write our schema into it.
  const existing = statSync(file, { throwIfNoEntry: false })
  if (existing?.isFile() && existing.size === 0) {
    throw new TagsmithError('BAD_INPUT', `${file} is empty: not a Tagsmith project`)
  }
  if (existing && !options.readonly) checkWritable(file)
  // The Electron build ships a second better-sqlite3 binary; it points us at it through this variable.
  const nativeBinding = process.env.TAGSMITH_SQLITE_BINDING
  let db: Database.Database
  try {
    db = new Database(file, { readonly: options.readonly ?? false, ...(nativeBinding ? { nativeBinding } : {}) })
  } catch (err) {
    const mapped = projectFileError(err, file)
    if (mapped instanceof TagsmithError) throw mapped
    throw new TagsmithError('BAD_INPUT', `cannot open project file ${file}: ${messageOf(err)}`)
  }
  try {
    db.pragma('busy_timeout = 5000')
    // Read-only checks first: journal_mode = WAL rewrites the header of whatever file this is.
    const migrations = options.migrations ?? loadMigrations()
    checkSchema(db, file, migrations)
    if (!options.readonly) {
      db.pragma('journal_mode = WAL')
      // FULL: a label edit reported as saved survives power loss, not only a crash of the process.
      db.pragma('synchronous = FULL')
    }
    db.pragma('foreign_keys = ON')
    migrate(db, file, migrations)
    return db
  } catch (err) {
    db.close()
    if (err instanceof TagsmithError) throw err
    if (isSqliteCode(err, 'SQLITE_NOTADB')) {
      throw new TagsmithError('BAD_INPUT', `${file} is not a Tagsmith project (not an SQLite database)`)
    }
    throw projectFileError(err, file)
  }
}

/** An existing project opened for writing must be writable, and so must its folder (WAL and -shm files). */
function checkWritable(file: string): void {
  for (const target of [file, dirname(file)]) {
    try {
      accessSync(target, constants.W_OK)
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : ''
      const what = target === file ? 'the file' : 'its folder'
      throw new TagsmithError('BAD_INPUT', `${file} cannot be written: ${what} is read-only (${code || messageOf(err)})`)
    }
  }
}

/** Refuses someone else's database and a newer schema, reading only. */
function checkSchema(db: Database.Database, file: string, migrations: Migration[]): void {
  const current = Number(db.pragma('user_version', { simple: true }))
  const latest = migrations.at(-1)?.version ?? 0
  if (current === 0) {
    // Never write our schema into someone else's database.
    const tables = Number(db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get())
    if (tables > 0) throw new TagsmithError('BAD_INPUT', `${file} is an SQLite database but not a Tagsmith project`)
  }
  if (current > latest) {
    throw new TagsmithError(
      'TOO_NEW',
      `${file} was written by a newer version of Tagsmith (schema ${current}; this version knows up to ${latest}). ` +
        'Update Tagsmith to open it.',
    )
  }
}

function migrate(db: Database.Database, file: string, migrations: Migration[]): void {
  const current = Number(db.pragma('user_version', { simple: true }))
  const latest = migrations.at(-1)?.version ?? 0
  const pending = migrations.filter((m) => m.version > current)
  if (pending.length === 0) return
  if (db.readonly) {
    throw new TagsmithError('CONFLICT', `${file} needs an upgrade (schema ${current} -> ${latest}) and is open read-only`)
  }
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql)
    db.pragma(`user_version = ${latest}`)
  }).immediate()
}

function isSqliteCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === code
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
