import Database from 'better-sqlite3'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { copyFileToPostgres, copyPostgresToFile } from '../../../src-main/core/store/copy-project.ts'
import { PROJECT_TABLES } from '../../../src-main/core/store/pg-schema.ts'
import { openPostgresStore } from '../../../src-main/core/store/postgres-store.ts'
import { addUser } from '../../../src-main/core/store/users.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { smallApparelProject } from './small-project.ts'

/** Every table's rows, each ordered by all its columns: what "the same project" means row for row. */
function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true })
  try {
    const out: Record<string, unknown[]> = {}
    for (const table of PROJECT_TABLES) {
      const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]
      out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY ${columns.map((_, i) => i + 1).join(', ')}`).all()
    }
    out.sqlite_sequence = db.prepare("SELECT name, seq FROM sqlite_sequence WHERE name = 'edit_groups'").all()
    return out
  } finally {
    db.close()
  }
}

/** A project with a row in every table: edits (one undone, one group id never reused), a run, reviews, users. */
async function fullProject(): Promise<{ dir: string; file: string }> {
  const { dir, file } = await smallApparelProject(6)
  const project = Project.open(file)
  const [a, b] = project.images()
  project.edits.setLabels([{ imageId: a!.id, label: 'black', value: a!.labels[0] === 1 ? 0 : 1 }], 'ann')
  project.edits.setLabels([{ imageId: b!.id, label: 'red', value: b!.labels[4] === 1 ? 0 : 1 }], 'bob')
  project.edits.setLabels([{ imageId: b!.id, label: 'shoes', value: b!.labels[10] === 1 ? 0 : 1 }], 'bob')
  project.edits.undo('bob')
  project.setSplit([a!.id], 'test')
  project.setSetting('groups', [['black', 'red'], ['dress']])
  const db = project.db
  const floats = (values: number[]): Buffer => Buffer.from(new Float32Array(values).buffer)
  db.prepare("INSERT INTO features VALUES ('h1', 'mobilenet', 3, 2, ?)").run(floats([0.25, -1.5]))
  db.prepare(
    `INSERT INTO runs (created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, thresholds, groups,
       backend, dim, std_mean, std_scale, head_kernel, head_bias, timings, tuned_thresholds, hidden_units, hidden_kernel, hidden_bias, best_epoch, group_names, author)
     VALUES ('2026-01-01', '{}', '{"id":"m"}', 'mobilenet', 3, '["black"]', 'abc', '[]', '{"exact":0.5}', '[0.5]', NULL,
       'cpu', 2, ?, ?, ?, ?, '{}', '[0.4]', 4, ?, ?, 7, '["colour"]', 'ann')`,
  ).run(floats([1, 2]), floats([3, 4]), floats([5, 6]), floats([7]), floats([8, 9, 10]), floats([11]))
  db.prepare("INSERT INTO run_predictions VALUES (1, ?, ?, 1, 'oof')").run(a!.id, floats([0.125, 0.875]))
  db.prepare("INSERT INTO label_reviews VALUES (?, 1, 1, 'fixed', 1, 0.1234567890123, '2026-01-02', 'bob')").run(a!.id)
  db.prepare("INSERT INTO uncertain_confirmations VALUES (?, 1, '01-', '2026-01-03', 'carol')").run(b!.id)
  addUser(db, 'carol')
  // Ids of steps removed since (ended redo branches) stay taken.
  db.prepare("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'edit_groups'").run()
  project.close()
  return { dir, file }
}

describe.skipIf(!pgEnabled())('copying a project between a file and PostgreSQL', () => {
  it('keeps every table, row, id and value both ways, and new ids go on after the copied ones', async () => {
    const { dir, file } = await fullProject()
    const url = await freshDatabase()
    const there = await copyFileToPostgres(file, url)
    expect(there.tables.images).toBe(12)
    expect(there.tables.edit_groups).toBe(3)
    expect(Object.values(there.tables).every((n) => n > 0)).toBe(true)
    const back = join(dir, 'back.tagsmith')
    const returned = await copyPostgresToFile(url, back)
    expect(returned.tables).toEqual(there.tables)
    expect(dump(back)).toEqual(dump(file))

    // Group ids are never reused: the removed redo branch's id stays taken in the database too.
    const store = await openPostgresStore(url)
    try {
      const before = dump(file).sqlite_sequence as Array<{ seq: number }>
      const next = await store.setLabels([{ imageId: 1, label: 'white', value: 1 }], 'ann')
      expect(before).toEqual([{ name: 'edit_groups', seq: 40 }])
      expect(next.group).toBe(41)
    } finally {
      await store.close()
    }
  })

  it('refuses a database that already holds a project unless replacing, and a replace leaves one project', async () => {
    const { file } = await fullProject()
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    await expect(copyFileToPostgres(file, url)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already holds a project \(12 images\)/) })
    const again = await copyFileToPostgres(file, url, { replace: true })
    expect(again.tables.images).toBe(12)
    const store = await openPostgresStore(url)
    try {
      expect(await store.images()).toHaveLength(12)
    } finally {
      await store.close()
    }
  })

  it('refuses a file with a value PostgreSQL cannot hold, naming file and table, and leaves the database as it was', async () => {
    const { file } = await fullProject()
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    const { file: odd } = await smallApparelProject(2)
    const db = new Database(odd)
    // SQLite keeps text in an INTEGER column; PostgreSQL's bigint will not.
    db.prepare("UPDATE images SET bytes = 'many' WHERE id = 3").run()
    db.close()
    await expect(copyFileToPostgres(odd, url, { replace: true })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(new RegExp(`^${odd}: a row of images does not fit PostgreSQL \\(.*"many".*\\); nothing was copied$`)),
    })
    const store = await openPostgresStore(url)
    try {
      expect(await store.images()).toHaveLength(12)
      expect((await store.history()).length).toBe(3)
    } finally {
      await store.close()
    }
  })

  it('refuses to overwrite an existing file unless replacing, and writes nothing on refusal', async () => {
    const { dir, file } = await fullProject()
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    const target = join(dir, 'taken.tagsmith')
    writeFileSync(target, 'mine')
    await expect(copyPostgresToFile(url, target)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`${target} already exists`) })
    await copyPostgresToFile(url, target, { replace: true })
    expect(dump(target)).toEqual(dump(file))
    const empty = await freshDatabase()
    await expect(copyPostgresToFile(empty, join(dir, 'none.tagsmith'))).rejects.toMatchObject({ message: expect.stringMatching(/holds no project/) })
    expect(existsSync(join(dir, 'none.tagsmith'))).toBe(false)
    // Copying out of a database only reads it: the empty one was not given a schema.
    const client = new pg.Client({ connectionString: empty })
    await client.connect()
    const tables = await client.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'")
    await client.end()
    expect(tables.rowCount).toBe(0)
  })
})
