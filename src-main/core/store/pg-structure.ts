// Structural steps on a team store — the label set edited, images added, such a step undone or redone, a
// rescan — run the file engine's own code on a copy, inside one PostgreSQL transaction: the tables a step
// writes are locked (EXCLUSIVE: reads go on, writes wait), the project is copied into a temp project file,
// the step runs there, and the rows it changed (noted by temp triggers on the copy, changed-rows.ts) are
// written back with their ids. The caller commits; any failure rolls back, leaving the database as it was.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { Project } from '../dataset/project.ts'
import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import { trackChanges, type ChangeTracker } from './changed-rows.ts'
import { copyToNewFile, insertRows, pgColumns, type PgColumn } from './copy-project.ts'
import { inTransaction } from './pg-connect.ts'
import { ID_TABLES, PROJECT_TABLES } from './pg-schema.ts'

/**
 * The tables a step may write, in the order they are locked: the edit log's first, as label edits and undo
 * take theirs, then the rest in the order a job's write-back writes them, so neither waits on the other in
 * a cycle.
 */
export const STEP_TABLES: readonly string[] = [
  'edit_groups',
  'image_labels',
  'edit_log',
  'images',
  'labels',
  'sources',
  'runs',
  'label_reviews',
  'uncertain_confirmations',
  'settings',
]

/** Left out of the copy: no step reads or writes them, and they are the big tables. */
const LEFT_OUT: readonly string[] = ['features', 'run_predictions']

export interface StepOutcome<T> {
  result: T
  /** What the change notice names: the kind of the step recorded or undone, else the caller's; null when nothing changed. */
  structure: string | null
  /** Rows written (inserted, updated or deleted) per table. */
  written: Record<string, number>
  timings: { copySeconds: number; stepSeconds: number; writeSeconds: number }
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`
const seconds = (since: number): number => (performance.now() - since) / 1000

/** Locks the step's tables; the first statement of the step's transaction (REPEATABLE READ: its snapshot follows the lock). */
export async function lockStepTables(client: pg.PoolClient): Promise<void> {
  await client.query(`LOCK TABLE ${STEP_TABLES.map(quote).join(', ')} IN EXCLUSIVE MODE`)
}

/**
 * Copies the project into a temp project file, runs `work` on it and writes back what it changed, in the
 * transaction `client` is in (after lockStepTables). `kind` names a change that records no step (a rescan).
 */
export async function runStep<T>(
  client: pg.PoolClient,
  shown: string,
  work: (project: Project) => T | Promise<T>,
  kind: string,
  tempDir = tmpdir(),
): Promise<StepOutcome<T>> {
  const dir = mkdtempSync(join(tempDir, 'tagsmith-step-'))
  try {
    const file = join(dir, 'project.tagsmith')
    const copyStarted = performance.now()
    await copyToNewFile(client, file, shown, { leaveOut: LEFT_OUT })
    const copySeconds = seconds(copyStarted)
    const project = Project.open(file)
    try {
      const tracker = trackChanges(project.db, PROJECT_TABLES.filter((t) => !LEFT_OUT.includes(t)))
      const stepStarted = performance.now()
      const result = await work(project)
      const stepSeconds = seconds(stepStarted)
      const writeStarted = performance.now()
      const written = await writeChanges(client, project.db, tracker)
      const changed = Object.keys(written).length > 0
      return { result, structure: changed ? (stepKind(project.db, tracker) ?? kind) : null, written, timings: { copySeconds, stepSeconds, writeSeconds: seconds(writeStarted) } }
    } finally {
      project.close()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The kind of the newest step the work recorded or marked (undo, redo); null when it touched none. */
function stepKind(db: Database, tracker: ChangeTracker): string | null {
  if (!tracker.tables().includes('edit_groups')) return null
  const ids = tracker.changes('edit_groups', ['id']).present.map((r) => Number(r[0]))
  if (ids.length === 0) return null
  return (db.prepare('SELECT kind FROM edit_groups WHERE id = ?').pluck().get(Math.max(...ids)) as string | undefined) ?? null
}

/**
 * Writes the noted rows: deletions first, children before parents; then the rest, parents first, each row
 * inserted or updated by its primary key. Labels and sources moving positions are first parked on negative
 * positions, as positions are unique at every row. Id sequences only move forward.
 */
async function writeChanges(client: pg.PoolClient, db: Database, tracker: ChangeTracker): Promise<Record<string, number>> {
  const changed = tracker.tables()
  const outside = changed.filter((t) => !STEP_TABLES.includes(t))
  if (outside.length > 0) throw new TagsmithError('INTERNAL', `the step changed ${outside.join(', ')}, which a step on a team store does not write`)
  const columns = await pgColumns(client)
  const colsOf = (table: string): PgColumn[] => columns.get(table) ?? []
  const order = PROJECT_TABLES.filter((t) => changed.includes(t))
  const changes = new Map(order.map((t) => [t, tracker.changes(t, colsOf(t).map((c) => c.name))]))
  const written: Record<string, number> = {}
  const add = (table: string, n: number): void => {
    if (n > 0) written[table] = (written[table] ?? 0) + n
  }

  for (const table of [...order].reverse()) {
    const gone = changes.get(table)?.gone ?? []
    if (gone.length === 0) continue
    const key = tracker.keyOf(table).map((k) => colsOf(table).find((c) => c.name === k) as PgColumn)
    const result = await client.query(
      `DELETE FROM ${quote(table)} WHERE (${key.map((c) => quote(c.name)).join(', ')}) IN
       (SELECT * FROM unnest(${key.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}))`,
      key.map((_, i) => gone.map((g) => g[i])),
    )
    add(table, result.rowCount ?? 0)
  }

  for (const table of order) {
    const cols = colsOf(table)
    const present = changes.get(table)?.present ?? []
    if (present.length === 0) continue
    const idAt = cols.findIndex((c) => c.name === 'id')
    if (idAt >= 0 && cols.some((c) => c.name === 'position')) {
      await client.query(`UPDATE ${quote(table)} SET position = -1 - position WHERE id = ANY($1::bigint[])`, [present.map((r) => r[idAt])])
    }
    const key = tracker.keyOf(table)
    const updates = cols.filter((c) => !key.includes(c.name)).map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`)
    const conflict = `ON CONFLICT (${key.map(quote).join(', ')}) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`
    add(table, await insertRows(client, table, cols, present, conflict))
  }

  const groupSeq = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'edit_groups'").pluck().get() as number | undefined
  for (const table of order.filter((t) => ID_TABLES.includes(t))) await advanceSequence(client, table, table === 'edit_groups' ? (groupSeq ?? 0) : 0)
  return written
}

/** Moves the table's id sequence past its ids and `floor`, never back (an id handed out once is not handed out again). */
async function advanceSequence(client: pg.PoolClient, table: string, floor: number): Promise<void> {
  const { rows } = await client.query<{ seq: string; max: number }>(
    `SELECT pg_get_serial_sequence($1, 'id') AS seq, (SELECT coalesce(max(id), 0) FROM ${quote(table)}) AS max`,
    [table],
  )
  const row = rows[0]
  if (!row?.seq) return
  const state = (await client.query<{ last: number; called: boolean }>(`SELECT last_value AS last, is_called AS called FROM ${row.seq}`)).rows[0]
  const used = state?.called ? state.last : 0
  const top = Math.max(row.max, floor, used)
  if (top > used) await client.query('SELECT setval($1, $2, true)', [row.seq, top])
}

/**
 * A step in a transaction of its own: locks, runs, lets `notify` send the change notice inside it, and
 * commits. A deadlock while locking (nothing has run yet) is tried again.
 */
export async function stepTransaction<T>(
  pool: pg.Pool,
  shown: string,
  work: (project: Project) => T | Promise<T>,
  kind: string,
  notify: (client: pg.PoolClient, structure: string) => Promise<void>,
): Promise<StepOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    let locked = false
    try {
      return await inTransaction(
        pool,
        async (client) => {
          await lockStepTables(client)
          locked = true
          const outcome = await runStep(client, shown, work, kind)
          if (outcome.structure !== null) await notify(client, outcome.structure)
          return outcome
        },
        'REPEATABLE READ',
      )
    } catch (err) {
      const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : ''
      if (!locked && code === '40P01' && attempt < 3) continue
      throw err
    }
  }
}
