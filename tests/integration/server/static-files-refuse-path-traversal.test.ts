import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieFor, fakeUi, get, serve, tempDir, type Served } from './helpers.ts'

// Each aims at secret.txt beside the UI folder, or at the repository's package.json.
const TRAVERSALS = [
  '/../secret.txt',
  '/../package.json',
  '/assets/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2E%2E/secret.txt',
  '/.%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/assets/%2e%2e/%2e%2e/secret.txt',
  '/assets/..%2f..%2fsecret.txt',
  '/..%5csecret.txt',
  '/assets/..%5c..%5csecret.txt',
  '/%5c..%5csecret.txt',
  '/..\\secret.txt',
  '/assets\\..\\..\\secret.txt',
  '/%252e%252e/secret.txt',
  '/assets/app.js%00.html',
  '/%c0%ae%c0%ae/secret.txt',
  '//secret.txt',
  '/./index.html',
]

describe('static serving of the UI', () => {
  const temp = tempDir()
  let served: Served
  let unbuilt: Served

  beforeAll(async () => {
    const config = join(temp.dir, 'config')
    ;[served, unbuilt] = await Promise.all([
      serve(['--ui', fakeUi(temp.dir)], config),
      serve(['--ui', join(temp.dir, 'not-built')], config),
    ])
  })
  afterAll(async () => {
    await Promise.all([served.stop(), unbuilt.stop()])
    temp.remove()
  })

  it('refuses every path traversal attempt and never leaks the file', async () => {
    for (const path of TRAVERSALS) {
      const answer = await get(served.port, path, { cookie: cookieFor(served) })
      expect([400, 404], `${path} -> ${answer.status}`).toContain(answer.status)
      expect(answer.body, path).not.toContain('TOP-SECRET')
      expect(answer.body, path).not.toContain('"name"')
    }
  })

  it('serves files with their content type, the CSP and nosniff; index.html is never cached', async () => {
    const page = await get(served.port, '/', { cookie: cookieFor(served) })
    expect(page.status).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    const csp = String(page.headers['content-security-policy'])
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${served.port}`)
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    const script = await get(served.port, '/assets/app.js', { cookie: cookieFor(served) })
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.body).toBe('console.log("tagsmith")\n')
    expect((await get(served.port, '/assets/missing.js', { cookie: cookieFor(served) })).status).toBe(404)
    // The UI's own routes (no file extension) get the app.
    const route = await get(served.port, '/review', { cookie: cookieFor(served) })
    expect(route.status).toBe(200)
    expect(route.body).toContain('<title>Tagsmith</title>')
  })

  it('asks to run `npm run build` when the UI has not been built', async () => {
    const answer = await get(unbuilt.port, '/', { cookie: cookieFor(unbuilt) })
    expect(answer.status).toBe(503)
    expect(answer.body).toContain('npm run build')
  })
})
