import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase, type Database } from '../../../src-main/core/db/open.ts'
import { confirmedSince, putConfirmation, putReview, reviewCounts, reviewsByPair } from '../../../src-main/core/quality/reviews.ts'
import { tempDir } from '../dataset/helpers.ts'

const upTo40 = () => loadMigrations().filter((m) => m.version <= 40)

/**
 * One source, labels a (1) and b (2), images 1 and 2 with every cell 0, and runs 1 and 2; at schema 40, or
 * with every migration for the tests of today's review functions (which write later columns too).
 */
function seeded(migrations = upTo40()): Database {
  const db = openDatabase(join(tempDir(), 'p.tagsmith'), { migrations })
  db.prepare(
    `INSERT INTO sources (id, position, name, path, images_dir, bom, delimiter, line_ending, header_raw, tail, columns,
      index_column, image_column, label_columns, path_style, value_style, written_hash, imported_at)
     VALUES (1, 0, 'train.csv', '/d/train.csv', '/d', 0, ',', 'LF', 'image,a,b\n', '', 3, NULL, 0, '[1,2]', '/', '{}', '', 'now')`,
  ).run()
  db.prepare("INSERT INTO labels (id, name, position) VALUES (1, 'a', 0), (2, 'b', 1)").run()
  for (const id of [1, 2]) {
    db.prepare(`INSERT INTO images (id, source_id, row_number, line, path, rel, split, status, raw) VALUES (?, 1, ?, ?, 'x.jpg', 'x.jpg', 'train', 'ok', 'x')`).run(id, id, id + 1)
    for (const label of [1, 2]) db.prepare('INSERT INTO image_labels (image_id, label_id, value, orig, cell_start, cell_end) VALUES (?, ?, 0, 0, 0, 1)').run(id, label)
  }
  for (const id of [1, 2]) {
    db.prepare(
      `INSERT INTO runs (id, created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, backend, dim,
        std_mean, std_scale, head_kernel, head_bias, timings) VALUES (?, 'now', '{}', '{}', 'k', 1, '["a","b"]', '', '[]', '{}', 'cpu', 1, x'', x'', x'', x'', '{}')`,
    ).run(id)
  }
  return db
}

describe('migration 0040: label reviews and uncertainty confirmations', () => {
  it('creates both tables and sets user_version 40', () => {
    const db = seeded()
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()
    expect(tables).toEqual(expect.arrayContaining(['label_reviews', 'uncertain_confirmations']))
    expect(db.pragma('user_version', { simple: true })).toBe(40)
    db.close()
  })

  it('keeps one review per pair, the latest; guards value and outcome', () => {
    const db = seeded(loadMigrations())
    putReview(db, { imageId: 1, labelId: 1, value: 0, outcome: 'kept', runId: 1, probability: 0.9 })
    putReview(db, { imageId: 1, labelId: 1, value: 1, outcome: 'fixed', runId: 2, probability: 0.8 })
    expect([...reviewsByPair(db).values()]).toEqual([{ imageId: 1, labelId: 1, value: 1, outcome: 'fixed', runId: 2 }])
    const raw = (value: number, outcome: string) =>
      db.prepare("INSERT OR REPLACE INTO label_reviews (image_id, label_id, value, outcome, at) VALUES (2, 2, ?, ?, 'now')").run(value, outcome)
    expect(() => raw(2, 'kept')).toThrow(/CHECK/)
    expect(() => raw(1, 'ignored')).toThrow(/CHECK/)
    expect(() => db.prepare("INSERT INTO label_reviews (image_id, label_id, value, outcome, at) VALUES (9, 1, 1, 'kept', 'now')").run()).toThrow(/FOREIGN KEY/)
    db.close()
  })

  it('counts only reviews whose cell still holds the value they left', () => {
    const db = seeded(loadMigrations())
    putReview(db, { imageId: 1, labelId: 1, value: 1, outcome: 'fixed', runId: 1, probability: 0.9 })
    putReview(db, { imageId: 2, labelId: 2, value: 0, outcome: 'kept', runId: 1, probability: 0.7 })
    expect(reviewCounts(db, 1)).toEqual({ reviewed: 1, fixed: 0 }) // image 1's a is still 0: the accept was undone
    db.prepare('UPDATE image_labels SET value = 1 WHERE image_id = 1 AND label_id = 1').run()
    expect(reviewCounts(db, 1)).toEqual({ reviewed: 2, fixed: 1 })
    expect(reviewCounts(db, 2)).toEqual({ reviewed: 0, fixed: 0 })
    db.close()
  })

  it('keeps reviews when their run is deleted, drops confirmations with it, and drops both with their image', () => {
    const db = seeded(loadMigrations())
    putReview(db, { imageId: 1, labelId: 1, value: 0, outcome: 'kept', runId: 1, probability: 0.9 })
    putConfirmation(db, 1, 1, '00')
    putConfirmation(db, 2, 2, '00')
    expect([...confirmedSince(db, 1)].sort()).toEqual([1, 2])
    expect([...confirmedSince(db, 2)]).toEqual([2])
    db.prepare('DELETE FROM runs WHERE id = 1').run()
    expect([...reviewsByPair(db).values()]).toEqual([{ imageId: 1, labelId: 1, value: 0, outcome: 'kept', runId: null }])
    expect([...confirmedSince(db, 1)]).toEqual([2])
    db.prepare('DELETE FROM images WHERE id IN (1, 2)').run()
    expect(db.prepare('SELECT count(*) FROM label_reviews').pluck().get()).toBe(0)
    expect(db.prepare('SELECT count(*) FROM uncertain_confirmations').pluck().get()).toBe(0)
    db.close()
  })
})
