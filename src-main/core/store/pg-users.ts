// Team members on PostgreSQL: the same names, token shape, hashes and messages as the project file's (users.ts).
import type pg from 'pg'
import { TagsmithError } from '../errors.ts'
import type { NewUser, StoreUser } from './project-store.ts'
import { checkUserName, newToken, tokenHash, wellFormedToken } from './users.ts'

type Client = pg.PoolClient

export async function addUser(client: Client, name: string): Promise<NewUser> {
  checkUserName(name)
  const token = newToken()
  const createdAt = new Date().toISOString()
  const { rowCount } = await client.query(
    'INSERT INTO users (name, token_hash, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING',
    [name, tokenHash(token), createdAt],
  )
  if (!rowCount) throw new TagsmithError('BAD_INPUT', `user ${JSON.stringify(name)} already exists`)
  return { name, createdAt, token }
}

export async function listUsers(client: Client): Promise<StoreUser[]> {
  // COLLATE "C": ordered by code point, as the file engine's SQLite orders text.
  const { rows } = await client.query<StoreUser>('SELECT name, created_at AS "createdAt" FROM users ORDER BY name COLLATE "C"')
  return rows
}

export async function removeUser(client: Client, name: string): Promise<void> {
  const { rowCount } = await client.query('DELETE FROM users WHERE name = $1', [name])
  if (!rowCount) throw new TagsmithError('NOT_FOUND', `no user ${JSON.stringify(name)}`)
}

export async function userOfToken(client: Client, token: string): Promise<string | null> {
  if (typeof token !== 'string' || !wellFormedToken(token)) return null
  const { rows } = await client.query<{ name: string }>('SELECT name FROM users WHERE token_hash = $1', [tokenHash(token)])
  return rows[0]?.name ?? null
}
