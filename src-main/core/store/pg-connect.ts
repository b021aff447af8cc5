// Connecting to a team store's PostgreSQL database: the URL checked and shown without its password, the
// pool's integers read as numbers, and the driver's failures said in the user's words (which server, which
// database, what went wrong), never with the password.
import pg from 'pg'
import { TagsmithError } from '../errors.ts'
import { isPostgresUrl, redactUrl } from './store-url.ts'

const INT8 = 20
const NUMERIC = 1700

// bigint columns hold ids, counts and 0/1 values, all far below 2^53: numbers, as the SQLite engine gives.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value)
    return pg.types.getTypeParser(oid, format ?? 'text')
  },
} as pg.CustomTypesConfig

export { isPostgresUrl, redactUrl } from './store-url.ts'

export interface PgTarget {
  url: string
  /** The URL without its password, for messages and `location`. */
  shown: string
  host: string
  database: string
  user: string
}

/** Checks the URL's form (scheme, host, database), refusing with BAD_INPUT naming the URL. */
export function parsePgUrl(url: string): PgTarget {
  const shown = redactUrl(url)
  if (!isPostgresUrl(url)) throw new TagsmithError('BAD_INPUT', `${shown} is not a PostgreSQL URL (postgresql://user@host:port/database)`)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new TagsmithError('BAD_INPUT', `${shown} is not a valid URL (postgresql://user@host:port/database)`)
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''))
  if (!database) throw new TagsmithError('BAD_INPUT', `${shown} names no database (postgresql://user@host:port/database)`)
  const host = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}`
  const user = decodeURIComponent(parsed.username) || process.env.PGUSER || 'the current user'
  return { url, shown, host, database, user }
}

/** A pg failure as a TagsmithError naming the server, database or user; the password never appears. */
export function connectionError(err: unknown, target: PgTarget): TagsmithError {
  if (err instanceof TagsmithError) return err
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : ''
  const message = err instanceof Error ? err.message : String(err)
  const at = `PostgreSQL at ${target.host}`
  switch (code) {
    case 'ECONNREFUSED':
      return new TagsmithError('UNAVAILABLE', `cannot reach ${at}: connection refused (is the server running?) — ${target.shown}`)
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new TagsmithError('UNAVAILABLE', `cannot reach ${at}: unknown host — ${target.shown}`)
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new TagsmithError('UNAVAILABLE', `cannot reach ${at}: ${code} — ${target.shown}`)
    case '28P01':
      return new TagsmithError('BAD_INPUT', `${at} refused user ${target.user}: wrong password — ${target.shown}`)
    case '28000':
      return new TagsmithError('BAD_INPUT', `${at} refused user ${target.user}: ${message} — ${target.shown}`)
    case '3D000':
      return new TagsmithError('NOT_FOUND', `database ${target.database} does not exist on ${at} — ${target.shown}`)
    case '42501':
      return new TagsmithError('BAD_INPUT', `user ${target.user} may not do this on ${target.shown}: ${message}`)
    case 'ECONNRESET':
    case 'EPIPE':
    case '57P01':
    case '57P02':
    case '57P03':
      return new TagsmithError('UNAVAILABLE', `lost the connection to ${at} (restarting or shutting down?): ${message} — ${target.shown}`)
  }
  if (/timeout/i.test(message)) return new TagsmithError('UNAVAILABLE', `cannot reach ${at}: no answer in time — ${target.shown}`)
  if (code.startsWith('08') || lostConnection(message)) {
    return new TagsmithError('UNAVAILABLE', `lost the connection to ${at}: ${message} — ${target.shown}`)
  }
  if (/password/i.test(message)) return new TagsmithError('BAD_INPUT', `${at} needs a password for user ${target.user} — ${target.shown}`)
  return new TagsmithError('INTERNAL', `${target.shown}: ${message.split(target.url).join(target.shown)}`)
}

/** The driver's words for a connection cut off under a query (they carry no error code). */
export function lostConnection(message: string): boolean {
  return /Connection terminated|connection is not queryable|Client has encountered a connection error|socket hang up/i.test(message)
}

/** A pool on the URL whose first connection already succeeded, so a bad URL fails here and clearly. */
export async function connectPool(target: PgTarget, max = 4): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString: target.url, max, types, connectionTimeoutMillis: 10_000, application_name: 'tagsmith' })
  // An idle client's dropped connection must not crash the process; the next query reports it.
  pool.on('error', () => {})
  try {
    const client = await pool.connect()
    client.release()
    return pool
  } catch (err) {
    await pool.end().catch(() => {})
    throw connectionError(err, target)
  }
}

/** Runs `work` in one transaction on one client; rolls back on any error. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, isolation = 'READ COMMITTED'): Promise<T> {
  const client = await pool.connect()
  // The pool stops listening for errors on a client it lent out: a database that cuts the connection
  // between two queries (a restart) would crash the process with an unheard 'error'. The next query fails
  // instead, and the pool drops the dead client on release.
  const ignore = (): void => {}
  client.on('error', ignore)
  try {
    await client.query(`BEGIN ISOLATION LEVEL ${isolation}`)
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.off('error', ignore)
    client.release()
  }
}
