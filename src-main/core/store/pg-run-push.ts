// A team server's runs, reviews and confirmations reaching the database. A run stored in the server's
// working copy goes to PostgreSQL in one transaction under a fresh id from the runs' sequence (so a run
// another server stored meanwhile keeps its own), with its predictions, the reviews and confirmations made
// under it and the features the database lacks. A review or confirmation made later goes on its own,
// merged on its key.
import type pg from 'pg'
import type { Database } from '../db/open.ts'
import { insertRows, pgColumns, upsertRows, type PgColumn } from './copy-project.ts'

/** A table of rows merged on their key, only where the rows they name are in the database. */
export interface MergedTable {
  table: 'label_reviews' | 'uncertain_confirmations'
  key: string[]
  conditions: string[]
}

export const REVIEWS: MergedTable = {
  table: 'label_reviews',
  key: ['image_id', 'label_id'],
  conditions: [
    'EXISTS (SELECT 1 FROM images WHERE id = r.image_id)',
    'EXISTS (SELECT 1 FROM labels WHERE id = r.label_id)',
    '(r.run_id IS NULL OR EXISTS (SELECT 1 FROM runs WHERE id = r.run_id))',
  ],
}

export const CONFIRMATIONS: MergedTable = {
  table: 'uncertain_confirmations',
  key: ['image_id', 'run_id'],
  conditions: ['EXISTS (SELECT 1 FROM images WHERE id = r.image_id)', 'EXISTS (SELECT 1 FROM runs WHERE id = r.run_id)'],
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`
const selectFrom = (table: string, columns: PgColumn[]): string => `SELECT ${columns.map((c) => quote(c.name)).join(', ')} FROM ${quote(table)}`

/**
 * Copies the runs `ids` of the project file open as `db` into the database (in the caller's transaction),
 * each under the next id of the runs' sequence; a run no longer in the file is skipped. Returns the ids as
 * the file has them → as the database gave them.
 */
export async function pushRuns(client: pg.PoolClient, db: Database, ids: readonly number[]): Promise<Map<number, number>> {
  const columns = await pgColumns(client)
  const cols = (table: string): PgColumn[] => columns.get(table) ?? []
  const runIds = new Map<number, number>()

  const runCols = cols('runs')
  const idAt = runCols.findIndex((c) => c.name === 'id')
  const runStmt = db.prepare(`${selectFrom('runs', runCols)} WHERE id = ?`).raw()
  const runRows: unknown[][] = []
  for (const id of ids) {
    const row = runStmt.get(id) as unknown[] | undefined
    if (!row) continue
    const { rows } = await client.query<{ id: number }>(`SELECT nextval(pg_get_serial_sequence('runs', 'id')) AS id`)
    const stored = Number(rows[0]?.id)
    row[idAt] = stored
    runIds.set(id, stored)
    runRows.push(row)
  }
  if (runIds.size === 0) return runIds
  await insertRows(client, 'runs', runCols, runRows)
  const mapped = (id: unknown): unknown => (typeof id === 'number' ? (runIds.get(id) ?? id) : id)

  const predictionCols = cols('run_predictions')
  const runAt = predictionCols.findIndex((c) => c.name === 'run_id')
  const predictionStmt = db.prepare(`${selectFrom('run_predictions', predictionCols)} WHERE run_id = ?`).raw()
  function* predictionRows(): Generator<unknown[]> {
    for (const id of runIds.keys()) {
      for (const row of predictionStmt.iterate(id) as Iterable<unknown[]>) {
        row[runAt] = mapped(row[runAt])
        yield row
      }
    }
  }
  await insertRows(client, 'run_predictions', predictionCols, predictionRows())

  // Every feature the file holds and the database lacks (the runs' extraction, any other job's here); one
  // another server stored meanwhile is the same vector.
  const featureCols = cols('features')
  const featureStmt = db.prepare(`${selectFrom('features', featureCols)} WHERE hash = ? AND backbone = ? AND prep = ?`).raw()
  const hashes = db.prepare('SELECT hash FROM features WHERE backbone = ? AND prep = ?').pluck()
  for (const [backbone, prep] of db.prepare('SELECT DISTINCT backbone, prep FROM features').raw().all() as Array<[string, number]>) {
    const { rows } = await client.query<{ hash: string }>(
      'SELECT h AS hash FROM unnest($1::text[]) AS h WHERE NOT EXISTS (SELECT 1 FROM features f WHERE f.hash = h AND f.backbone = $2 AND f.prep = $3)',
      [hashes.all(backbone, prep), backbone, prep],
    )
    const missing = rows.map((r) => featureStmt.get(r.hash, backbone, prep) as unknown[] | undefined).filter((r): r is unknown[] => r !== undefined)
    await insertRows(client, 'features', featureCols, missing, 'ON CONFLICT DO NOTHING')
  }

  // Reviews and confirmations made under the runs before they reached the database.
  const list = [...runIds.keys()]
  for (const merged of [REVIEWS, CONFIRMATIONS]) {
    const mergedCols = cols(merged.table)
    const at = mergedCols.findIndex((c) => c.name === 'run_id')
    const rows = db
      .prepare(`${selectFrom(merged.table, mergedCols)} WHERE run_id IN (${list.map(() => '?').join(', ')})`)
      .raw()
      .all(...list) as unknown[][]
    for (const row of rows) row[at] = mapped(row[at])
    await upsertRows(client, merged.table, mergedCols, merged.key, rows, merged.conditions)
  }
  return runIds
}

/** Merges rows of the project file's `merged.table` (by column name) into the database; returns the rows written. */
export async function putMergedRows(client: pg.PoolClient, merged: MergedTable, rows: ReadonlyArray<Record<string, unknown>>): Promise<number> {
  const columns = (await pgColumns(client)).get(merged.table) ?? []
  const values = rows.map((r) => columns.map((c) => r[c.name] ?? null))
  return upsertRows(client, merged.table, columns, merged.key, values, merged.conditions)
}
