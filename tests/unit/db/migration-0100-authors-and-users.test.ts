import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { tempDir } from '../dataset/helpers.ts'

const upTo90 = () => loadMigrations().filter((m) => m.version <= 90)

describe('migration 0100: authors of edit steps, and users', () => {
  it('keeps the steps recorded before with no author, and adds an empty users table', () => {
    const file = join(tempDir(), 'p.tagsmith')
    const old = openDatabase(file, { migrations: upTo90() })
    old.prepare("INSERT INTO edit_groups (at, kind) VALUES ('2026-01-01T00:00:00.000Z', 'cells')").run()
    old.close()

    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(100)
    expect(db.prepare('SELECT at, kind, author FROM edit_groups').all()).toEqual([{ at: '2026-01-01T00:00:00.000Z', kind: 'cells', author: null }])
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0)
    db.close()
  })

  it('refuses a second user of one name or one token hash, and a user without them', () => {
    const db = openDatabase(join(tempDir(), 'p.tagsmith'))
    const add = db.prepare('INSERT INTO users (name, token_hash, created_at) VALUES (?, ?, ?)')
    add.run('ann', 'h1', '2026-01-01T00:00:00.000Z')
    expect(() => add.run('ann', 'h2', 'now')).toThrow(/UNIQUE constraint failed: users.name/)
    expect(() => add.run('bob', 'h1', 'now')).toThrow(/UNIQUE constraint failed: users.token_hash/)
    expect(() => add.run('cy', null, 'now')).toThrow(/NOT NULL constraint failed: users.token_hash/)
    db.close()
  })
})
