// Telling every server of a team store what another one committed: each writing transaction sends one
// NOTIFY on a channel (delivered only if it commits), and each server keeps one connection LISTENing. The
// payload names the step or the images, never values: a listener reads the values as committed, so a
// notice can never carry a stale one. A dropped listening connection comes back by itself, and the caller
// is told to catch up on everything, since notices sent meanwhile are lost.
import pg from 'pg'
import type { PgTarget } from './pg-connect.ts'

export const CHANGES_CHANNEL = 'tagsmith_changes'

/** Most image ids a notice names; a bigger change says `all` (NOTIFY payloads stop at 8,000 bytes). */
const MAX_IDS = 500
const MAX_RETRY_MS = 5000

/** What a committed transaction changed, as one notice tells it. */
export interface StoreChange {
  /** The store instance (one per server process) that committed it, so it can skip its own notices. */
  origin: string
  /** A step of the edit log, done, undone or redone: its cells changed. */
  group?: number
  /** Images whose rows changed outside the edit log (their split). */
  images?: number[]
  /** Too much to name: read everything. */
  all?: true
  /** Users were added or removed. */
  users?: true
  /** A structural step (its kind: the label set, the rows) changed the project's shape: copy it all again. */
  structure?: string
}

/** Sends `change` when the transaction `client` is in commits. */
export async function notifyChange(client: pg.ClientBase, change: StoreChange): Promise<void> {
  const body: StoreChange = change.images && change.images.length > MAX_IDS ? { origin: change.origin, all: true } : change
  await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify(body)])
}

export interface ChangeWatch {
  close(): Promise<void>
}

export interface WatchHandlers {
  change(change: StoreChange): void
  /** The listening connection came back after a loss: notices may have been missed. */
  resync(): void
  /** The connection was lost (the handlers hear `resync` once it is back). */
  lost?(reason: string): void
}

function parseChange(payload: string | undefined): StoreChange | null {
  try {
    const value: unknown = JSON.parse(payload ?? '')
    return typeof value === 'object' && value !== null && typeof (value as StoreChange).origin === 'string' ? (value as StoreChange) : null
  } catch {
    return null
  }
}

/** Listens on the channel until closed, reconnecting with a growing pause after a loss. */
export async function watchChanges(target: PgTarget, handlers: WatchHandlers): Promise<ChangeWatch> {
  let closed = false
  let client: pg.Client | null = null
  let failures = 0
  let timer: NodeJS.Timeout | null = null

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: target.url, application_name: 'tagsmith-listen', connectionTimeoutMillis: 10_000 })
    next.on('notification', (message) => {
      const change = parseChange(message.payload)
      if (change && !closed) handlers.change(change)
    })
    next.on('error', () => dropped(next, 'the connection to PostgreSQL failed'))
    next.on('end', () => dropped(next, 'the connection to PostgreSQL ended'))
    await next.connect()
    await next.query(`LISTEN ${CHANGES_CHANNEL}`)
    if (closed) {
      await next.end().catch(() => {})
      return
    }
    client = next
  }

  const dropped = (which: pg.Client, reason: string): void => {
    if (closed || client !== which) return
    client = null
    which.end().catch(() => {})
    handlers.lost?.(reason)
    retry()
  }

  const retry = (): void => {
    if (closed) return
    const delay = Math.min(MAX_RETRY_MS, 250 * 2 ** failures++)
    timer = setTimeout(() => {
      connect().then(
        () => {
          failures = 0
          if (!closed) handlers.resync()
        },
        () => retry(),
      )
    }, delay)
  }

  await connect()
  return {
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      const current = client
      client = null
      await current?.end().catch(() => {})
    },
  }
}
