import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageRow } from '../../../src-preload/contract.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { startServer, type RunningServer } from '../../../src-main/server/server.ts'

interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

// Files a shared dataset could carry: image signatures first (so import takes them for images), then
// markup or script. "GIF89a" is also a valid start of a JavaScript statement.
const POLYGLOTS: Record<string, string> = {
  'page.html': 'GIF89a<!doctype html><script src="/image/2/full"></script><p>hello</p>',
  'code.js': 'GIF89a=1;window.top.polyglotRan=true;//',
  'drawing.svg': 'GIF89a<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
  'plain.gif': 'GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;',
}

describe('web mode', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-web-'))
  let service: Service
  let server: RunningServer
  let cookie = ''
  let rows: ImageRow[] = []

  beforeAll(async () => {
    const ui = join(dir, 'ui')
    mkdirSync(join(ui, 'assets'), { recursive: true })
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Tagsmith</title>')
    writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)\n')
    const data = join(dir, 'data')
    mkdirSync(data)
    for (const [name, text] of Object.entries(POLYGLOTS)) writeFileSync(join(data, name), text, 'latin1')
    writeFileSync(join(data, 'train.csv'), `image,cat\n${Object.keys(POLYGLOTS).map((n) => `${n},1`).join('\n')}\n`)
    mkdirSync(join(dir, 'config'))
    service = new Service({ configDir: join(dir, 'config'), mode: 'web', version: '0.0.0-web' })
    await service.request('project:import', { csvs: [join(data, 'train.csv')] })
    rows = await service.request('images:list', {})
    server = await startServer({ service, port: 0, uiDir: ui })
    cookie = `tagsmith-token-${server.port}=${server.token}`
  })
  afterAll(async () => {
    await server.close()
    service.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sends the CSP, nosniff and frame denial on every answer, refusals included', async () => {
    const answers = await Promise.all([
      get(server.port, '/'),
      get(server.port, '/', { cookie }),
      get(server.port, '/assets/app.js', { cookie }),
      get(server.port, '/nope.txt', { cookie }),
      get(server.port, '/../x', { cookie }),
      get(server.port, '/image/1/full'),
      get(server.port, '/image/999/full', { cookie }),
      get(server.port, '/', { cookie, host: 'evil.example' }),
    ])
    expect(answers.map((a) => a.status)).toEqual([401, 200, 200, 404, 400, 401, 404, 403])
    for (const a of answers) {
      expect(a.headers['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self';/)
      expect(a.headers['x-content-type-options']).toBe('nosniff')
      expect(a.headers['x-frame-options']).toBe('DENY')
      expect(a.headers['access-control-allow-origin']).toBeUndefined()
    }
  })

  it('never repeats the token, except in its HttpOnly cookie', async () => {
    const redirect = await get(server.port, `/?token=${server.token}&label=red`)
    expect(redirect.status).toBe(303)
    expect(redirect.headers.location).toBe('/?label=red')
    expect(String(redirect.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/)
    for (const a of [redirect, await get(server.port, '/', { cookie }), await get(server.port, '/nope', { cookie })]) {
      const { 'set-cookie': _cookie, ...headers } = a.headers
      expect(JSON.stringify(headers) + a.body).not.toContain(server.token)
    }
  })

  it('serves the real GIF as an image', async () => {
    const gif = rows.find((r) => r.path === 'plain.gif')
    const answer = await get(server.port, `/image/${gif?.id}/full`, { cookie })
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('image/gif')
  })

  for (const name of ['page.html', 'code.js', 'drawing.svg']) {
    it(`never serves a dataset file as a page or a script, whatever its name: ${name}`, async () => {
      const row = rows.find((r) => r.path === name)
      expect(row?.status).toBe('ok')
      const answer = await get(server.port, `/image/${row?.id}/full`, { cookie })
      expect(answer.body).toBe(readFileSync(join(dir, 'data', name), 'latin1'))
      // Typed by content, never by name, and sandboxed: an image-signed .html or .js never runs as a page or script.
      expect(answer.headers['content-type']).toMatch(/^image\/(gif|jpeg|png|webp|tiff|avif)$|^application\/octet-stream$/)
      expect(answer.headers['content-security-policy']).toMatch(/(^|; )sandbox$/)
      expect(answer.headers['x-content-type-options']).toBe('nosniff')
    })
  }
})
