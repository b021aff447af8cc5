// The team members a project file admits (migration 0100): a name and the sha256 of their token. The token
// itself is shown once, when the user is added; a lost token is replaced by removing and adding the user.
import { createHash, randomBytes } from 'node:crypto'
import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import type { NewUser, StoreUser } from './project-store.ts'

const TOKEN_PREFIX = 'tsu_'
/** `tsu_` and 32 random bytes in base64url (43 characters, no padding). */
const TOKEN_SHAPE = /^tsu_[A-Za-z0-9_-]{43}$/
const MAX_NAME = 64

export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url')
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Whether a string can be a token at all; anything else is refused before a lookup. */
export function wellFormedToken(token: string): boolean {
  return TOKEN_SHAPE.test(token)
}

/** BAD_INPUT naming the value unless it is a usable user name: non-empty, at most 64 characters, no control characters. */
export function checkUserName(name: string): void {
  const shown = JSON.stringify(name)
  if (typeof name !== 'string' || name.trim() === '') throw new TagsmithError('BAD_INPUT', `user name ${shown} is empty`)
  if (name.length > MAX_NAME) throw new TagsmithError('BAD_INPUT', `user name ${shown} is longer than ${MAX_NAME} characters`)
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) throw new TagsmithError('BAD_INPUT', `user name ${shown} holds a control character`)
}

/** Adds a user and returns their token, the only time it is shown; a taken name is refused (BAD_INPUT). */
export function addUser(db: Database, name: string): NewUser {
  checkUserName(name)
  const token = newToken()
  const createdAt = new Date().toISOString()
  db.transaction(() => {
    if (db.prepare('SELECT 1 FROM users WHERE name = ?').get(name)) {
      throw new TagsmithError('BAD_INPUT', `user ${JSON.stringify(name)} already exists`)
    }
    db.prepare('INSERT INTO users (name, token_hash, created_at) VALUES (?, ?, ?)').run(name, tokenHash(token), createdAt)
  }).immediate()
  return { name, createdAt, token }
}

export function listUsers(db: Database): StoreUser[] {
  return db.prepare('SELECT name, created_at AS createdAt FROM users ORDER BY name').all() as StoreUser[]
}

/** Removes a user (NOT_FOUND naming an unknown one): their token stops working at once. */
export function removeUser(db: Database, name: string): void {
  if (db.prepare('DELETE FROM users WHERE name = ?').run(name).changes === 0) {
    throw new TagsmithError('NOT_FOUND', `no user ${JSON.stringify(name)}`)
  }
}

/** The user a token belongs to; null for an unknown, removed or malformed token. */
export function userOfToken(db: Database, token: string): string | null {
  if (typeof token !== 'string' || !wellFormedToken(token)) return null
  const name = db.prepare('SELECT name FROM users WHERE token_hash = ?').pluck().get(tokenHash(token)) as string | undefined
  return name ?? null
}
