// Jobs on a team store (train, evaluate, issues, health): the database is copied into a temp project file,
// so a job sees the labels as committed when it started and runs exactly as on a file. Afterwards only the
// rows the job added in the tables a job writes (features, runs, run_predictions, label_reviews,
// uncertain_confirmations, settings) go back, in one transaction; labels, images and the edit log never do,
// so an edit someone committed meanwhile stays. Runs take fresh ids from the database's sequence, and
// everything that named a run by its id in the file names it by its new id.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { Project } from '../dataset/project.ts'
import { openDatabase, type Database } from '../db/open.ts'
import { insertRows, pgColumns, upsertRows, writeProjectFile, type PgColumn } from './copy-project.ts'
import { connectionError, connectPool, inTransaction, parsePgUrl } from './pg-connect.ts'
import { CONFIRMATIONS, REVIEWS, type MergedTable } from './pg-run-push.ts'
import { ensureSchema } from './pg-schema.ts'

export interface SnapshotOptions {
  /** Folder for the temp project file (default: the system's temp folder). */
  tempDir?: string
  /** Runs after the work, before the write-back (tests commit another user's edit here). */
  beforeWriteBack?: () => Promise<void>
}

export interface SnapshotOutcome<T> {
  result: T
  /** Ids of the runs the work stored, as the file had them → as the database gave them. */
  runIds: Map<number, number>
  /** Rows written back per table. */
  written: Record<string, number>
  timings: { snapshotSeconds: number; workSeconds: number; writeBackSeconds: number }
}

/** What the snapshot held before the work: the write-back sends what differs. */
interface Before {
  maxRunId: number
  runsWithPredictions: Set<number>
  features: Set<string>
  reviews: Map<string, string>
  confirmations: Map<string, string>
  settings: Map<string, string>
}

const featureKey = (hash: string, backbone: string, prep: number): string => `${hash}\u0000${backbone}\u0000${prep}`
const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`

/** Rows of a small table keyed by its primary key, each as its JSON (a changed row has another). */
function rowsByKey(db: Database, table: string, key: string[]): Map<string, string> {
  const rows = db.prepare(`SELECT * FROM ${quote(table)}`).all() as Array<Record<string, unknown>>
  return new Map(rows.map((r) => [key.map((k) => String(r[k])).join(':'), JSON.stringify(r)]))
}

function readBefore(db: Database): Before {
  const featureRows = db.prepare('SELECT hash, backbone, prep FROM features').raw().all() as Array<[string, string, number]>
  return {
    maxRunId: db.prepare('SELECT coalesce(max(id), 0) FROM runs').pluck().get() as number,
    runsWithPredictions: new Set(db.prepare('SELECT DISTINCT run_id FROM run_predictions').pluck().all() as number[]),
    features: new Set(featureRows.map(([h, b, p]) => featureKey(h, b, p))),
    reviews: rowsByKey(db, REVIEWS.table, REVIEWS.key),
    confirmations: rowsByKey(db, CONFIRMATIONS.table, CONFIRMATIONS.key),
    settings: new Map(db.prepare('SELECT key, json FROM settings').raw().all() as Array<[string, string]>),
  }
}

/**
 * Copies the team store at `url` into a temp project file, runs `work` on it, writes back what the work
 * added (see above) and deletes the file. A failed work or write-back writes nothing.
 */
export async function withSnapshot<T>(url: string, work: (project: Project) => Promise<T>, options: SnapshotOptions = {}): Promise<SnapshotOutcome<T>> {
  const target = parsePgUrl(url)
  const dir = mkdtempSync(join(options.tempDir ?? tmpdir(), 'tagsmith-snapshot-'))
  const file = join(dir, 'snapshot.tagsmith')
  try {
    const pool = await connectPool(target, 1)
    try {
      const copyStarted = performance.now()
      try {
        // Reading only: an empty database is refused, a newer schema too; an older one is brought up to date.
        await ensureSchema(pool, target.shown, { initialise: false })
        await writeProjectFile(pool, file, target.shown)
      } catch (err) {
        throw connectionError(err, target)
      }
      const snapshotSeconds = (performance.now() - copyStarted) / 1000

      const workStarted = performance.now()
      const project = Project.open(file)
      let before: Before
      let result: T
      try {
        before = readBefore(project.db)
        result = await work(project)
      } finally {
        project.close()
      }
      const workSeconds = (performance.now() - workStarted) / 1000
      await options.beforeWriteBack?.()

      const writeStarted = performance.now()
      const db = openDatabase(file)
      try {
        const { runIds, written } = await inTransaction(pool, (client) => writeBack(client, db, before)).catch((err: unknown) => {
          throw connectionError(err, target)
        })
        return { result, runIds, written, timings: { snapshotSeconds, workSeconds, writeBackSeconds: (performance.now() - writeStarted) / 1000 } }
      } finally {
        db.close()
      }
    } finally {
      await pool.end()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function writeBack(client: pg.PoolClient, db: Database, before: Before): Promise<{ runIds: Map<number, number>; written: Record<string, number> }> {
  const columns = await pgColumns(client)
  const cols = (table: string): PgColumn[] => columns.get(table) ?? []
  const select = (table: string, list: PgColumn[]): string => `SELECT ${list.map((c) => quote(c.name)).join(', ')} FROM ${quote(table)}`
  const written: Record<string, number> = {}

  // Runs: fresh ids from the database, so a run someone stored meanwhile keeps its own.
  const runIds = new Map<number, number>()
  const runCols = cols('runs').filter((c) => c.name !== 'id')
  const insertRun = `INSERT INTO runs (${runCols.map((c) => quote(c.name)).join(', ')}) VALUES (${runCols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`
  for (const row of db.prepare(`SELECT id, ${runCols.map((c) => quote(c.name)).join(', ')} FROM runs WHERE id > ? ORDER BY id`).raw().all(before.maxRunId) as unknown[][]) {
    const [id, ...values] = row
    const { rows } = await client.query<{ id: number }>(insertRun, values)
    runIds.set(Number(id), Number(rows[0]?.id))
  }
  written.runs = runIds.size
  const runId = (id: unknown): unknown => (typeof id === 'number' ? (runIds.get(id) ?? id) : id)

  // Predictions of the new runs, and of older runs that had none (issues computes them once); an older
  // run deleted meanwhile, or given predictions by someone else meanwhile, is left as the database has it.
  const predictionCols = cols('run_predictions')
  const runAt = predictionCols.findIndex((c) => c.name === 'run_id')
  const gained = (db.prepare('SELECT DISTINCT run_id FROM run_predictions').pluck().all() as number[]).filter(
    (id) => runIds.has(id) || (id <= before.maxRunId && !before.runsWithPredictions.has(id)),
  )
  const older = gained.filter((id) => !runIds.has(id))
  const stillBare = new Set(
    older.length === 0
      ? []
      : (
          await client.query<{ id: number }>(
            'SELECT id FROM runs WHERE id = ANY($1::bigint[]) AND NOT EXISTS (SELECT 1 FROM run_predictions p WHERE p.run_id = runs.id) FOR UPDATE',
            [older],
          )
        ).rows.map((r) => Number(r.id)),
  )
  const predictionStmt = db.prepare(`${select('run_predictions', predictionCols)} WHERE run_id = ?`).raw()
  function* predictionRows(): Generator<unknown[]> {
    for (const id of gained) {
      if (!runIds.has(id) && !stillBare.has(id)) continue
      for (const row of predictionStmt.iterate(id) as Iterable<unknown[]>) {
        row[runAt] = runId(row[runAt])
        yield row
      }
    }
  }
  written.run_predictions = await insertRows(client, 'run_predictions', predictionCols, predictionRows(), 'ON CONFLICT DO NOTHING')

  // Features the work extracted; one another job stored meanwhile is the same vector, and stays.
  const featureCols = cols('features')
  const newFeatures = (db.prepare('SELECT hash, backbone, prep FROM features').raw().all() as Array<[string, string, number]>).filter(
    ([h, b, p]) => !before.features.has(featureKey(h, b, p)),
  )
  const featureStmt = db.prepare(`${select('features', featureCols)} WHERE hash = ? AND backbone = ? AND prep = ?`).raw()
  function* featureRows(): Generator<unknown[]> {
    for (const [h, b, p] of newFeatures) {
      const row = featureStmt.get(h, b, p) as unknown[] | undefined
      if (row) yield row
    }
  }
  written.features = await insertRows(client, 'features', featureCols, featureRows(), 'ON CONFLICT DO NOTHING')

  // Reviews and confirmations the work made or changed, on images, labels and runs the database still has.
  written.label_reviews = await mergeRows(client, db, REVIEWS, cols(REVIEWS.table), before.reviews, runId)
  written.uncertain_confirmations = await mergeRows(client, db, CONFIRMATIONS, cols(CONFIRMATIONS.table), before.confirmations, runId)

  // Settings the work set or removed. No setting holds a run id today; one that did would be mapped here.
  const after = new Map(db.prepare('SELECT key, json FROM settings').raw().all() as Array<[string, string]>)
  let settings = 0
  for (const [key, json] of after) {
    if (before.settings.get(key) === json) continue
    await client.query('INSERT INTO settings (key, json) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET json = excluded.json', [key, json])
    settings++
  }
  for (const key of before.settings.keys()) {
    if (!after.has(key)) settings += (await client.query('DELETE FROM settings WHERE key = $1', [key])).rowCount ?? 0
  }
  written.settings = settings
  return { runIds, written }
}

/** Upserts the rows of `merged.table` that are new or changed since `before`, with run ids mapped. */
async function mergeRows(
  client: pg.PoolClient,
  db: Database,
  merged: MergedTable,
  columns: PgColumn[],
  before: Map<string, string>,
  runId: (id: unknown) => unknown,
): Promise<number> {
  const changed = rowsByKey(db, merged.table, merged.key)
  const rows = [...changed].filter(([k, json]) => before.get(k) !== json).map(([, json]) => JSON.parse(json) as Record<string, unknown>)
  if (rows.length === 0) return 0
  const values = rows.map((r) => columns.map((c) => (c.name === 'run_id' ? runId(r[c.name]) : r[c.name])))
  return upsertRows(client, merged.table, columns, merged.key, values, merged.conditions)
}
