import type { Database } from '../db/open.ts'

// A team server's working copy gives its runs the ids the database gave them, so every run id here names
// the same run there and a later run stored here never takes an id the database already holds.

/** Every column that names a run by its id (no setting holds one: a pinned run is kept by the window). */
const RUN_ID_COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['runs', 'id'],
  ['run_predictions', 'run_id'],
  ['label_reviews', 'run_id'],
  ['uncertain_confirmations', 'run_id'],
]

/** Renumbers runs (old id → new id) in one transaction; the new ids must be free or among the old ones. */
export function renumberRuns(db: Database, ids: ReadonlyMap<number, number>): void {
  const moves = [...ids].filter(([from, to]) => from !== to)
  if (moves.length === 0) return
  const statements = RUN_ID_COLUMNS.map(([table, column]) => db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${column} = ?`))
  db.transaction(() => {
    // Rows name a run that is moving until the last update: foreign keys are checked at commit.
    db.pragma('defer_foreign_keys = ON')
    // Through negative ids first, so one move's new id may be another's old one.
    for (const [from] of moves) for (const stmt of statements) stmt.run(-from, from)
    for (const [from, to] of moves) for (const stmt of statements) stmt.run(to, -from)
  }).immediate()
}
