import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFor, fakeUi, openSocket, serve, tempDir, type Served } from './helpers.ts'

async function refusal(attempt: Promise<{ close(): Promise<void> }>): Promise<number | undefined> {
  return attempt.then(
    async (client) => {
      await client.close()
      return 101
    },
    (err: { status?: number }) => err.status,
  )
}

describe('WebSocket upgrade checks', () => {
  const temp = tempDir()
  let served: Served

  beforeAll(async () => {
    served = await serve(['--ui', fakeUi(temp.dir)], join(temp.dir, 'config'))
  })
  afterAll(async () => {
    await served.stop()
    temp.remove()
  })

  it('answers 401 without the token or with a wrong one', async () => {
    expect(await refusal(openSocket(served.port, { origin: served.origin }))).toBe(401)
    expect(await refusal(openSocket(served.port, { origin: served.origin, query: '?token=nope' }))).toBe(401)
    expect(await refusal(openSocket(served.port, { origin: served.origin, cookie: `tagsmith-token-${served.port}=nope` }))).toBe(401)
    // A cookie for another Tagsmith server on another port does not open this one.
    expect(await refusal(openSocket(served.port, { origin: served.origin, cookie: `tagsmith-token-1=${served.token}` }))).toBe(401)
  })

  it('answers 403 to another origin even with a valid token', async () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1', `http://127.0.0.1:${served.port + 1}`, `https://127.0.0.1:${served.port}`, 'null']) {
      expect(await refusal(openSocket(served.port, { origin, cookie: cookieFor(served) })), origin).toBe(403)
    }
  })

  it('answers 404 to an upgrade on another path', async () => {
    const ws = (await import('ws')).WebSocket
    const status = await new Promise<number | undefined>((done) => {
      const socket = new ws(`ws://127.0.0.1:${served.port}/other`, { origin: served.origin, headers: { cookie: cookieFor(served) } })
      socket.once('unexpected-response', (_req, res) => done(res.statusCode))
      socket.once('open', () => done(101))
    })
    expect(status).toBe(404)
  })

  it('opens for our own origin with the cookie (the browser case) or the token in the query', async () => {
    for (const origin of [served.origin, `http://localhost:${served.port}`]) {
      const client = await openSocket(served.port, { origin, cookie: cookieFor(served) })
      expect(await client.invoke('app:info', {})).toMatchObject({ ok: true, result: { mode: 'web' } })
      await client.close()
    }
    const byQuery = await openSocket(served.port, { origin: served.origin, query: `?token=${served.token}` })
    expect(await byQuery.invoke('app:info', {})).toMatchObject({ ok: true })
    await byQuery.close()
  })
})
