// Which rows of a project file changed while some code ran on it: temp triggers (seen only by this
// connection, never stored in the file) note the primary key of every row inserted, updated or deleted,
// including rows a foreign key's ON DELETE CASCADE takes and rows an upsert replaces. Afterwards each noted
// key is either present (its row as it is now) or gone.
import type { Database } from '../db/open.ts'

const NOTES = 'tagsmith_changed_rows'
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`

export interface TableChanges {
  /** Rows inserted or updated, as they are now, in the order of the columns asked for. */
  present: unknown[][]
  /** Primary keys (values in key column order) of rows deleted. */
  gone: unknown[][]
}

export interface ChangeTracker {
  /** The tables with at least one noted row. */
  tables(): string[]
  /** The noted rows of `table`, present ones read with `columns`. */
  changes(table: string, columns: readonly string[]): TableChanges
  /** The primary key columns of `table`. */
  keyOf(table: string): string[]
  /** Drops the triggers and the notes. */
  stop(): void
}

/** Starts noting changes to `tables` on this connection. */
export function trackChanges(db: Database, tables: readonly string[]): ChangeTracker {
  // Rows an INSERT OR REPLACE deletes fire delete triggers only with recursive triggers on.
  db.pragma('recursive_triggers = ON')
  db.exec(`CREATE TEMP TABLE ${NOTES} (tbl TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (tbl, key)) WITHOUT ROWID`)
  const keys = new Map<string, string[]>()
  const triggers: string[] = []
  for (const table of tables) {
    const key = db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').pluck().all(table) as string[]
    if (key.length === 0) throw new Error(`table ${table} has no primary key to note its changes by`)
    keys.set(table, key)
    const note = (row: 'NEW' | 'OLD'): string =>
      `INSERT OR IGNORE INTO ${NOTES} (tbl, key) VALUES ('${table}', json_array(${key.map((k) => `${row}.${quote(k)}`).join(', ')}));`
    for (const [event, body] of [
      ['INSERT', note('NEW')],
      ['UPDATE', note('OLD') + note('NEW')],
      ['DELETE', note('OLD')],
    ] as const) {
      const name = quote(`${NOTES}_${table}_${event.toLowerCase()}`)
      db.exec(`CREATE TEMP TRIGGER ${name} AFTER ${event} ON main.${quote(table)} BEGIN ${body} END`)
      triggers.push(name)
    }
  }
  const keyOf = (table: string): string[] => {
    const key = keys.get(table)
    if (!key) throw new Error(`changes to ${table} are not noted`)
    return key
  }
  return {
    tables: () => db.prepare(`SELECT DISTINCT tbl FROM ${NOTES}`).pluck().all() as string[],
    keyOf,
    changes(table, columns) {
      const key = keyOf(table)
      const read = db
        .prepare(`SELECT ${columns.map(quote).join(', ')} FROM main.${quote(table)} WHERE ${key.map((k) => `${quote(k)} = ?`).join(' AND ')}`)
        .raw()
      const present: unknown[][] = []
      const gone: unknown[][] = []
      // all(), not iterate(): the connection reads the rows meanwhile.
      for (const text of db.prepare(`SELECT key FROM ${NOTES} WHERE tbl = ?`).pluck().all(table) as string[]) {
        const values = JSON.parse(text) as unknown[]
        const row = read.get(...values) as unknown[] | undefined
        if (row) present.push(row)
        else gone.push(values)
      }
      return { present, gone }
    },
    stop() {
      for (const name of triggers) db.exec(`DROP TRIGGER IF EXISTS temp.${name}`)
      db.exec(`DROP TABLE IF EXISTS temp.${NOTES}`)
    },
  }
}
