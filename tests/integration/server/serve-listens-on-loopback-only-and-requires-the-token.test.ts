import { connect } from 'node:net'
import { networkInterfaces } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apparelProject, cookieFor, fakeUi, get, serve, tempDir, type Served } from './helpers.ts'

/** Resolves with the socket error code, or 'connected'. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host, port })
    socket.once('connect', () => {
      socket.destroy()
      done('connected')
    })
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? 'error'))
  })
}

describe('tagsmith serve: loopback only, token required', () => {
  const temp = tempDir()
  let served: Served
  let project: string

  beforeAll(async () => {
    project = await apparelProject(temp.dir, 3)
    served = await serve([project, '--ui', fakeUi(temp.dir)], join(temp.dir, 'config'))
  })
  afterAll(async () => {
    expect(await served.stop()).toBe(0)
    temp.remove()
  })

  it('prints a 127.0.0.1 URL carrying a 32-character random token', () => {
    expect(served.url).toBe(`http://127.0.0.1:${served.port}/?token=${served.token}`)
    expect(served.token).toMatch(/^[A-Za-z0-9_-]{32}$/)
    expect(served.port).toBeGreaterThan(0)
  })

  it('accepts connections on 127.0.0.1 and on no other address', async () => {
    expect(await tryConnect('127.0.0.1', served.port)).toBe('connected')
    // Bound to 127.0.0.1 itself, not to all interfaces: other loopback and external addresses are refused.
    const others = ['127.0.0.2', ...Object.values(networkInterfaces()).flatMap((list) => (list ?? []).filter((a) => !a.internal).map((a) => a.address))]
    for (const address of others) expect(await tryConnect(address, served.port), address).not.toBe('connected')
  })

  it('answers 401 to every path without the token, or with a wrong one', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/image/1/thumb', '/image/1/full', '/anything']) {
      expect((await get(served.port, path)).status, path).toBe(401)
      expect((await get(served.port, `${path}?token=wrong`)).status, path).toBe(401)
      expect((await get(served.port, path, { cookie: `tagsmith-token-${served.port}=${'x'.repeat(32)}` })).status, path).toBe(401)
    }
    const refused = await get(served.port, '/')
    expect(refused.body).toContain('access token')
    expect(refused.body).not.toContain(served.token)
  })

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const first = await get(served.port, `/?token=${served.token}&label=red`)
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/?label=red')
    const cookie = String(first.headers['set-cookie'])
    expect(cookie).toContain(cookieFor(served))
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await get(served.port, '/', { cookie: cookieFor(served) })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
  })

  it('refuses a Host header other than its own address (DNS rebinding)', async () => {
    const rebound = await get(served.port, `/?token=${served.token}`, { host: `attacker.example:${served.port}` })
    expect(rebound.status).toBe(403)
    const localhost = await get(served.port, '/', { cookie: cookieFor(served), host: `localhost:${served.port}` })
    expect(localhost.status).toBe(200)
  })

  it('serves images by id with the token, and refuses bad ids', async () => {
    const thumb = await get(served.port, `/image/1/thumb?token=${served.token}`)
    expect(thumb.status).toBe(200)
    expect(thumb.headers['content-type']).toBe('image/webp')
    const full = await get(served.port, '/image/2/full', { cookie: cookieFor(served) })
    expect(full.status).toBe(200)
    expect(full.headers['content-type']).toBe('image/jpeg')
    expect(full.headers['x-content-type-options']).toBe('nosniff')
    expect((await get(served.port, '/image/99/full', { cookie: cookieFor(served) })).status).toBe(404)
    for (const bad of ['/image/0/full', '/image/-1/full', '/image/1e3/full', '/image/..%2f..%2fsecret.txt/full']) {
      expect((await get(served.port, bad, { cookie: cookieFor(served) })).status, bad).toBe(400)
    }
  })

  it('allows only GET and HEAD', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((done, fail) => {
      const req = request({ host: '127.0.0.1', port: served.port, path: '/', method: 'POST', headers: { cookie: cookieFor(served) } }, (res) => {
        res.resume()
        done(res.statusCode ?? 0)
      })
      req.on('error', fail)
      req.end('x')
    })
    expect(status).toBe(405)
  })
})
