// A database restart cuts every connection, including one a transaction holds between two queries: the
// driver then has no query to fail and raises 'error' on the client, which the pool stops listening to while
// the client is lent out. Unheard, that error ends the process (a team server died on every restart). The
// transaction must fail instead, and the pool go on with a new connection.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectPool, inTransaction, parsePgUrl } from '../../../src-main/core/store/pg-connect.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'

describe.skipIf(!pgEnabled())('a transaction whose connection the database cuts between two queries', () => {
  let pool: pg.Pool
  let admin: pg.Client
  beforeAll(async () => {
    const url = await freshDatabase()
    pool = await connectPool(parsePgUrl(url), 2)
    admin = new pg.Client({ connectionString: url })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.end()
    await pool?.end()
  })

  it('fails, and the pool serves the next query', async () => {
    const transaction = inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
      // What a restart does to every session (57P01), while this one runs no query; then wait for the
      // connection to end without listening for its error.
      const ended = new Promise((done) => client.once('end', done))
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid])
      await ended
      await client.query('SELECT 1')
    })
    await expect(transaction).rejects.toThrow()
    const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one')
    expect(rows).toEqual([{ one: 1 }])
  })
})
