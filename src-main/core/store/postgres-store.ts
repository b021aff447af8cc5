// The project store on PostgreSQL, for a team labelling one dataset through a server: the same schema as a
// project file (pg-migrations/), read and written natively in SQL through a small pool. Export goes through a
// temp project file (copy-project.ts) and the file engine's own exporter, so its bytes are the same by
// construction.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type pg from 'pg'
import { editLabelSet, type LabelSetEdit } from '../dataset/label-set.ts'
import { Project, positionOrderOf, withCells, type ExportOptions, type ImageColumns } from '../dataset/project.ts'
import { tallyStats } from '../dataset/stats.ts'
import type { Database } from '../db/open.ts'
import { SPLITS, type DatasetStats, type EditGroup, type ImageRecord, type LabelChange, type Split } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { writeProjectFile } from './copy-project.ts'
import { notifyChange, watchChanges, type ChangeWatch, type WatchHandlers } from './pg-changes.ts'
import { connectionError, connectPool, lostConnection, inTransaction, parsePgUrl, type PgTarget } from './pg-connect.ts'
import { history, setLabels, STRUCTURAL_STEP, undoOrRedo, undoState } from './pg-edits.ts'
import { CONFIRMATIONS, pushRuns, putMergedRows, REVIEWS } from './pg-run-push.ts'
import { ensureSchema } from './pg-schema.ts'
import { stepTransaction } from './pg-structure.ts'
import { addUser, listUsers, removeUser, userOfToken } from './pg-users.ts'
import type { HistoryEntry, NewUser, SharedStore, StoreUser, UndoState } from './project-store.ts'

const IMAGE_COLUMNS = `i.id, i.path, s.name AS source, i.line, i.split, i.status, i.hash, i.bytes`
const CELLS = `SELECT image_id, string_agg(coalesce(value::text, '-'), '' ORDER BY label_id),
  sum(CASE WHEN value IS DISTINCT FROM orig THEN 1 ELSE 0 END) FROM image_labels`

class PostgresStore implements SharedStore {
  readonly engine = 'postgresql' as const
  readonly location: string
  readonly instance = randomUUID()

  constructor(
    private readonly pool: pg.Pool,
    private readonly target: PgTarget,
  ) {
    this.location = target.shown
  }

  /** Runs a query, turning a lost connection into a message naming the server. */
  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>(text, values)).rows
    } catch (err) {
      throw this.mapped(err)
    }
  }

  /** Rows as arrays: the shape the file engine's raw reads give. */
  private async arrays<R extends unknown[]>(text: string, values: unknown[] = []): Promise<R[]> {
    try {
      return (await this.pool.query<R>({ text, values, rowMode: 'array' })).rows
    } catch (err) {
      throw this.mapped(err)
    }
  }

  private mapped(err: unknown): unknown {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : ''
    const message = err instanceof Error ? err.message : ''
    return /^(E[A-Z]+|08...|28...|3D000|42501|57P0.)$/.test(code) || lostConnection(message) ? connectionError(err, this.target) : err
  }

  /**
   * One transaction; retried when PostgreSQL chose it as a deadlock's victim (one user's edit and redo in two
   * windows can lock the same rows in opposite orders), so the caller never sees that.
   */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.pool, work)
      } catch (err) {
        const code = typeof err === 'object' && err !== null && 'code' in err ? (err as { code: unknown }).code : ''
        if ((code === '40P01' || code === '40001') && attempt < 3) continue
        throw this.mapped(err)
      }
    }
  }

  async labels(): Promise<string[]> {
    return (await this.query<{ name: string }>('SELECT name FROM labels ORDER BY position')).map((r) => r.name)
  }

  private async records(where: string, values: unknown[]): Promise<ImageRecord[]> {
    const rows = await this.query<ImageColumns>(
      `SELECT ${IMAGE_COLUMNS} FROM images i JOIN sources s ON s.id = i.source_id ${where} ORDER BY s.position, i.row_number`,
      values,
    )
    const cells = await this.arrays<[number, string, number]>(`${CELLS} ${where.replace(/i\.id/g, 'image_id')} GROUP BY image_id`, values)
    const ids = (await this.query<{ id: number }>('SELECT id FROM labels ORDER BY position')).map((r) => r.id)
    return withCells(rows, cells, positionOrderOf(ids))
  }

  images(): Promise<ImageRecord[]> {
    return this.records('', [])
  }

  async imagesByIds(ids: readonly number[]): Promise<ImageRecord[]> {
    const wanted = ids.filter((id) => Number.isSafeInteger(id))
    if (wanted.length === 0) return []
    return this.records('WHERE i.id = ANY($1::bigint[])', [wanted])
  }

  async findImage(path: string): Promise<ImageRecord | undefined> {
    const normalised = path.replace(/\\/g, '/').replace(/^(\.\/)+/, '')
    const found = await this.query<{ id: number }>(
      '(SELECT id FROM images WHERE path = $1 LIMIT 1) UNION ALL (SELECT id FROM images WHERE rel = $2 LIMIT 1) LIMIT 1',
      [path, normalised],
    )
    const id = found[0]?.id
    return id === undefined ? undefined : (await this.records('WHERE i.id = $1', [id]))[0]
  }

  async stats(): Promise<DatasetStats> {
    return tallyStats(await this.labels(), {
      imagesPerSplit: await this.arrays<[Split, number]>('SELECT split, count(*) FROM images GROUP BY split'),
      positions: await this.arrays<[number, number]>('SELECT id, position FROM labels'),
      positives: await this.arrays<[number, number, Split]>(
        `SELECT il.image_id, il.label_id, i.split FROM image_labels il JOIN images i ON i.id = il.image_id
         WHERE il.value = 1 ORDER BY il.image_id`,
      ),
    })
  }

  setLabels(changes: LabelChange[], author: string): Promise<EditGroup> {
    return this.transaction(async (client) => this.notified(client, await setLabels(client, changes, author)))
  }

  /** Tells the other servers of a step, in its transaction (so only once it commits). */
  private async notified<G extends EditGroup | null | typeof STRUCTURAL_STEP>(client: pg.PoolClient, group: G): Promise<G> {
    if (typeof group === 'object' && group && group.group > 0) await notifyChange(client, { origin: this.instance, group: group.group })
    return group
  }

  async setSplit(imageIds: number[], split: Split, _author: string): Promise<void> {
    if (!SPLITS.includes(split)) throw new TagsmithError('BAD_INPUT', `split must be train, val or test, got ${JSON.stringify(split)}`)
    await this.transaction(async (client) => {
      for (const id of imageIds) {
        const result = Number.isSafeInteger(id) ? await client.query('UPDATE images SET split = $1 WHERE id = $2', [split, id]) : null
        if (!result?.rowCount) throw new TagsmithError('BAD_INPUT', `no image with id ${id}`)
      }
      await notifyChange(client, { origin: this.instance, images: imageIds })
    })
  }

  undo(author: string): Promise<EditGroup | null> {
    return this.undoOrRedo('undo', author)
  }

  redo(author: string): Promise<EditGroup | null> {
    return this.undoOrRedo('redo', author)
  }

  /** A cells step in SQL; a structural one by the file engine's undo or redo, on a copy (it checks again who may). */
  private async undoOrRedo(action: 'undo' | 'redo', author: string): Promise<EditGroup | null> {
    const done = await this.transaction(async (client) => this.notified(client, await undoOrRedo(client, action, author)))
    if (done !== STRUCTURAL_STEP) return done
    return this.structuralStep((project) => project.edits[action](author), action)
  }

  editLabelSet(edit: LabelSetEdit, author: string): Promise<EditGroup> {
    return this.structuralStep((project) => editLabelSet(project, edit, author), `label-${edit.op}`)
  }

  async structuralStep<T>(work: (project: Project) => T | Promise<T>, kind: string): Promise<T> {
    try {
      const outcome = await stepTransaction(this.pool, this.location, work, kind, (client, structure) =>
        notifyChange(client, { origin: this.instance, all: true, structure }),
      )
      return outcome.result
    } catch (err) {
      throw this.mapped(err)
    }
  }

  async undoState(author: string): Promise<UndoState> {
    try {
      return await undoState(this.pool, author)
    } catch (err) {
      throw this.mapped(err)
    }
  }

  history(options?: { user?: string; limit?: number }): Promise<HistoryEntry[]> {
    return this.transaction((client) => history(client, options))
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    const rows = await this.query<{ json: string }>('SELECT json FROM settings WHERE key = $1', [key])
    return rows[0] === undefined ? undefined : (JSON.parse(rows[0].json) as T)
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      await this.query('DELETE FROM settings WHERE key = $1', [key])
      return
    }
    await this.query('INSERT INTO settings (key, json) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET json = excluded.json', [
      key,
      JSON.stringify(value),
    ])
  }

  /**
   * The project materialised into a temp project file, exported there by the file engine's exporter, and the
   * hashes of originals it wrote kept here, so a later export notices outside changes the same way.
   */
  async exportCsvs(outDir?: string, options?: ExportOptions): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'tagsmith-export-'))
    try {
      const file = join(dir, 'project.tagsmith')
      await writeProjectFile(this.pool, file, this.location)
      const project = Project.open(file)
      try {
        const written = project.exportCsvs(outDir, options)
        const hashes = project.db.prepare('SELECT name, written_hash FROM sources').raw().all() as Array<[string, string]>
        await this.query(
          `UPDATE sources s SET written_hash = h.hash FROM unnest($1::text[], $2::text[]) AS h(name, hash)
           WHERE s.name = h.name AND s.written_hash <> h.hash`,
          [hashes.map((h) => h[0]), hashes.map((h) => h[1])],
        )
        return written
      } finally {
        project.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  addUser(name: string): Promise<NewUser> {
    return this.transaction(async (client) => {
      const user = await addUser(client, name)
      await notifyChange(client, { origin: this.instance, users: true })
      return user
    })
  }

  listUsers(): Promise<StoreUser[]> {
    return this.transaction((client) => listUsers(client))
  }

  removeUser(name: string): Promise<void> {
    return this.transaction(async (client) => {
      await removeUser(client, name)
      await notifyChange(client, { origin: this.instance, users: true })
    })
  }

  watch(handlers: WatchHandlers): Promise<ChangeWatch> {
    return watchChanges(this.target, handlers).catch((err: unknown) => {
      throw connectionError(err, this.target)
    })
  }

  async imagesOfGroup(group: number): Promise<number[]> {
    const rows = await this.query<{ image_id: number }>('SELECT DISTINCT image_id FROM edit_log WHERE group_id = $1 ORDER BY image_id', [group])
    return rows.map((r) => r.image_id)
  }

  async copyToFile(file: string): Promise<{ rows: number; seconds: number }> {
    try {
      return await writeProjectFile(this.pool, file, this.location)
    } catch (err) {
      throw this.mapped(err)
    }
  }

  pushRuns(source: Database, ids: readonly number[]): Promise<Map<number, number>> {
    return this.transaction((client) => pushRuns(client, source, ids))
  }

  async putReview(row: Readonly<Record<string, unknown>>): Promise<void> {
    await this.transaction((client) => putMergedRows(client, REVIEWS, [row]))
  }

  async putConfirmation(row: Readonly<Record<string, unknown>>): Promise<void> {
    await this.transaction((client) => putMergedRows(client, CONFIRMATIONS, [row]))
  }

  async usersByTokenHash(): Promise<Map<string, string>> {
    const rows = await this.query<{ name: string; token_hash: string }>('SELECT name, token_hash FROM users')
    return new Map(rows.map((r) => [r.token_hash, r.name]))
  }

  userOfToken(token: string): Promise<string | null> {
    return this.transaction((client) => userOfToken(client, token))
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}

/**
 * Opens the team store at `url`: connects (a wrong URL, password or server is refused naming it, never
 * showing the password), brings the schema up to date, and refuses a database that holds no project yet.
 */
export async function openPostgresStore(url: string): Promise<SharedStore> {
  const target = parsePgUrl(url)
  const pool = await connectPool(target)
  try {
    await ensureSchema(pool, target.shown)
    const { rows } = await pool.query<{ n: number }>('SELECT count(*) AS n FROM sources')
    if ((rows[0]?.n ?? 0) === 0) {
      throw new TagsmithError('BAD_INPUT', `${target.shown} holds no project yet: copy one in with tagsmith migrate <project> --to <url>`)
    }
    return new PostgresStore(pool, target)
  } catch (err) {
    await pool.end().catch(() => {})
    throw err instanceof TagsmithError ? err : connectionError(err, target)
  }
}
