import Database from 'better-sqlite3'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations, type Migration } from '../../../src-main/core/db/migrations.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { tempDir } from '../dataset/helpers.ts'

const latest = (): number => loadMigrations().at(-1)?.version ?? 0

describe('openDatabase', () => {
  it('creates a fresh file with WAL, foreign keys and user_version at the latest migration', () => {
    const file = join(tempDir(), 'p.tagsmith')
    const db = openDatabase(file)
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('user_version', { simple: true })).toBe(latest())
    db.close()
    expect(existsSync(file)).toBe(true)
  })

  it('applies nothing on reopen and keeps data', () => {
    const file = join(tempDir(), 'p.tagsmith')
    const db = openDatabase(file)
    db.prepare("INSERT INTO settings (key, json) VALUES ('k', '1')").run()
    db.close()
    const again = openDatabase(file)
    expect(again.prepare("SELECT json FROM settings WHERE key = 'k'").pluck().get()).toBe('1')
    again.close()
  })

  it('applies only pending migrations, in number order, and records the highest', () => {
    const file = join(tempDir(), 'p.sqlite')
    const first: Migration[] = [{ version: 10, name: '0010-a.sql', sql: 'CREATE TABLE a (x);' }]
    openDatabase(file, { migrations: first }).close()
    const more: Migration[] = [
      ...first,
      { version: 20, name: '0020-b.sql', sql: 'CREATE TABLE b (x); INSERT INTO a VALUES (20);' },
      { version: 30, name: '0030-c.sql', sql: 'INSERT INTO a VALUES (30);' },
    ]
    const db = openDatabase(file, { migrations: more })
    expect(db.prepare('SELECT x FROM a ORDER BY rowid').pluck().all()).toEqual([20, 30])
    expect(db.pragma('user_version', { simple: true })).toBe(30)
    db.close()
  })

  it('rolls back every pending migration when one fails', () => {
    const file = join(tempDir(), 'p.sqlite')
    const broken: Migration[] = [
      { version: 10, name: '0010-a.sql', sql: 'CREATE TABLE a (x);' },
      { version: 20, name: '0020-bad.sql', sql: 'CREATE TABLE b (x); NOT SQL;' },
    ]
    expect(() => openDatabase(file, { migrations: broken })).toThrow()
    const raw = new Database(file)
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table'").pluck().get()).toBe(0)
    expect(raw.pragma('user_version', { simple: true })).toBe(0)
    raw.close()
  })

  it('reads migration files by number from a folder and rejects two with one number', () => {
    const dir = tempDir()
    writeFileSync(join(dir, '0020-later.sql'), 'SELECT 2;')
    writeFileSync(join(dir, '0010-first.sql'), 'SELECT 1;')
    writeFileSync(join(dir, 'notes.txt'), 'ignored')
    expect(loadMigrations(dir).map((m) => m.version)).toEqual([10, 20])
    writeFileSync(join(dir, '0020-again.sql'), 'SELECT 3;')
    expect(() => loadMigrations(dir)).toThrow(/two migrations share number 20/)
  })

  it('refuses an SQLite file of another application without touching it', () => {
    const file = join(tempDir(), 'other.db')
    const other = new Database(file)
    other.exec('CREATE TABLE notes (t TEXT)')
    other.close()
    expect(() => openDatabase(file)).toThrow(/not a Tagsmith project/)
    const check = new Database(file)
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['notes'])
    check.close()
  })

  it('refuses a file that is not a database with BAD_INPUT', () => {
    const file = join(tempDir(), 'junk.tagsmith')
    writeFileSync(file, 'this is not sqlite '.repeat(100))
    const err = captureError(() => openDatabase(file))
    expect(err).toBeInstanceOf(TagsmithError)
    expect((err as TagsmithError).code).toBe('BAD_INPUT')
    expect((err as TagsmithError).message).toMatch(/not a Tagsmith project/)
  })
})

function captureError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected an error')
}
