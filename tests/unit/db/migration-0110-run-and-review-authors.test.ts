import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { tempDir } from '../dataset/helpers.ts'

const upTo100 = () => loadMigrations().filter((m) => m.version <= 100)

const AT = '2026-01-01T00:00:00.000Z'

describe('migration 0110: authors of runs, reviews and confirmations', () => {
  it('keeps the runs, reviews and confirmations of a file from before with no author, and records one after', () => {
    const file = join(tempDir(), 'p.tagsmith')
    const old = openDatabase(file, { migrations: upTo100() })
    expect(old.prepare("SELECT count(*) FROM pragma_table_info('runs') WHERE name = 'author'").pluck().get()).toBe(0)
    old.prepare("INSERT INTO sources (id, position, name, path, images_dir, bom, delimiter, line_ending, header_raw, tail, columns, image_column, label_columns, path_style, value_style, written_hash, imported_at) VALUES (1, 0, 't.csv', '/t.csv', '/', 0, ',', 'LF', 'h', '', 2, 0, '[1]', '/', '{}', 'x', ?)").run(AT)
    old.prepare("INSERT INTO labels (id, name, position) VALUES (1, 'red', 0)").run()
    old.prepare("INSERT INTO images (id, source_id, row_number, line, path, rel, split, status, raw) VALUES (1, 1, 0, 2, 'a.jpg', 'a.jpg', 'train', 'ok', 'a.jpg,1')").run()
    const blob = Buffer.alloc(4)
    old
      .prepare(
        `INSERT INTO runs (id, created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, backend, dim, std_mean, std_scale, head_kernel, head_bias, timings)
         VALUES (1, ?, '{}', '{}', 'k', 1, '["red"]', 's', '[]', '{}', 'cpu', 1, ?, ?, ?, ?, '{}')`,
      )
      .run(AT, blob, blob, blob, blob)
    old.prepare("INSERT INTO label_reviews (image_id, label_id, value, outcome, run_id, probability, at) VALUES (1, 1, 1, 'kept', 1, 0.2, ?)").run(AT)
    old.prepare("INSERT INTO uncertain_confirmations (image_id, run_id, labels, at) VALUES (1, 1, '1', ?)").run(AT)
    old.close()

    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(110)
    expect(db.prepare('SELECT id, author FROM runs').all()).toEqual([{ id: 1, author: null }])
    expect(db.prepare('SELECT outcome, author FROM label_reviews').all()).toEqual([{ outcome: 'kept', author: null }])
    expect(db.prepare('SELECT labels, author FROM uncertain_confirmations').all()).toEqual([{ labels: '1', author: null }])
    db.prepare("UPDATE label_reviews SET author = 'ana'").run()
    expect(db.prepare('SELECT author FROM label_reviews').pluck().get()).toBe('ana')
    db.close()
  })
})
