import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { tempDir } from '../dataset/helpers.ts'

describe('a project file written by a newer Tagsmith', () => {
  it('is refused with TOO_NEW and a message saying what to do, and is left unchanged', () => {
    const file = join(tempDir(), 'future.tagsmith')
    openDatabase(file).close()
    const raw = new Database(file)
    raw.pragma('user_version = 9999')
    raw.close()
    let caught: unknown
    try {
      openDatabase(file)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(TagsmithError)
    expect((caught as TagsmithError).code).toBe('TOO_NEW')
    expect((caught as TagsmithError).message).toMatch(/newer version of Tagsmith \(schema 9999.*Update Tagsmith/)
    const check = new Database(file)
    expect(check.pragma('user_version', { simple: true })).toBe(9999)
    check.close()
  })
})
