import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { tempDir } from '../dataset/helpers.ts'

describe('migration 0010-init', () => {
  const only0010 = () => loadMigrations().filter((m) => m.version === 10)

  it('creates the project tables and sets user_version 10', () => {
    const db = openDatabase(join(tempDir(), 'p.tagsmith'), { migrations: only0010() })
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
    expect(tables).toEqual(expect.arrayContaining(['edit_groups', 'edit_log', 'image_labels', 'images', 'labels', 'settings', 'sources']))
    expect(db.pragma('user_version', { simple: true })).toBe(10)
    db.close()
  })

  it('guards values: label cells are 0, 1 or NULL, splits and statuses are known words, edits need their image', () => {
    const db = openDatabase(join(tempDir(), 'p.tagsmith'), { migrations: only0010() })
    db.prepare(
      `INSERT INTO sources (id, position, name, path, images_dir, bom, delimiter, line_ending, header_raw, tail, columns,
        index_column, image_column, label_columns, path_style, value_style, written_hash, imported_at)
       VALUES (1, 0, 'train.csv', '/d/train.csv', '/d', 0, ',', 'LF', 'image,a\n', '', 2, NULL, 0, '[1]', '/', '{}', '', 'now')`,
    ).run()
    db.prepare("INSERT INTO labels (id, name, position) VALUES (1, 'a', 0)").run()
    const image = (id: number, split: string, status: string) =>
      db
        .prepare(
          `INSERT INTO images (id, source_id, row_number, line, path, rel, split, status, raw)
           VALUES (?, 1, ?, ?, 'x.jpg', 'x.jpg', ?, ?, 'x.jpg,1\n')`,
        )
        .run(id, id, id + 1, split, status)
    image(1, 'train', 'ok')
    expect(() => image(2, 'holdout', 'ok')).toThrow(/CHECK/)
    expect(() => image(3, 'val', 'broken')).toThrow(/CHECK/)
    const cell = (value: number | null) =>
      db.prepare('INSERT OR REPLACE INTO image_labels (image_id, label_id, value, orig, cell_start, cell_end) VALUES (1, 1, ?, ?, 6, 7)').run(value, value)
    cell(1)
    cell(null)
    expect(() => cell(2)).toThrow(/CHECK/)
    db.prepare("INSERT INTO edit_groups (id, at) VALUES (1, 'now')").run()
    expect(() =>
      db.prepare("INSERT INTO edit_log (group_id, image_id, label_id, old, new, at) VALUES (1, 99, 1, 0, 1, 'now')").run(),
    ).toThrow(/FOREIGN KEY/)
    db.close()
  })

  it('finds edited cells through the partial index', () => {
    const db = openDatabase(join(tempDir(), 'p.tagsmith'), { migrations: only0010() })
    const plan = db
      .prepare('EXPLAIN QUERY PLAN SELECT image_id FROM image_labels WHERE value IS NOT orig')
      .all() as Array<{ detail: string }>
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/image_labels_edited/)
    db.close()
  })
})
