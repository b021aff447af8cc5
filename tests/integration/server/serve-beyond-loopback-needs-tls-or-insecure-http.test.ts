// Where `tagsmith serve` listens: another address than loopback is refused (before anything binds)
// unless it has a certificate or --insecure-http; bad certificate files are refused by name; with a
// certificate it serves HTTPS and WSS (tested on 127.0.0.1 with a throwaway self-signed certificate).
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { main } from '../../../src-main/cli/index.ts'
import { fakeUi, serve, tempDir, type HttpAnswer, type Served } from './helpers.ts'

const temp = tempDir()
const cert = join(temp.dir, 'cert.pem')
const key = join(temp.dir, 'key.pem')
const otherKey = join(temp.dir, 'other-key.pem')

beforeAll(() => {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:labels.example',
    '-keyout', key, '-out', cert,
  ], { stdio: 'ignore' })
  writeFileSync(otherKey, generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'pkcs8', format: 'pem' }))
  writeFileSync(join(temp.dir, 'not-a-cert.pem'), 'hello\n')
})
afterAll(() => temp.remove())

async function tagsmith(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = []
  const code = await main(argv, { out: () => {}, err: (t) => void err.push(t), interactive: false })
  return { code, err: err.join('') }
}

function httpsGet(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers, ca: readFileSync(cert), servername: 'localhost' }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', fail)
    req.end()
  })
}

describe('tagsmith serve refuses to leave loopback unprotected', () => {
  it.each([
    [['--host', '192.0.2.10'], '--host 192.0.2.10 is not a loopback address'],
    [['--host', '0.0.0.0', '--insecure-http'], '--host 0.0.0.0 listens on every address: add --public-name NAME'],
    [['--host', 'example.com'], '--host must be an IP address of this machine'],
    [['--host', '192.0.2.10', '--tls-cert', 'c.pem'], '--tls-cert needs --tls-key too'],
    [['--public-name', 'http://x.example/'], '--public-name must be a host name or address without scheme, port or path'],
  ])('%j', async (args, message) => {
    const { code, err } = await tagsmith('serve', ...args)
    expect(code).toBe(2)
    expect(err).toContain(message)
  })

  it('says what to add for another address', async () => {
    const { err } = await tagsmith('serve', '--host', '192.0.2.10')
    expect(err).toContain('add --tls-cert FILE --tls-key FILE (PEM) to serve HTTPS, or --insecure-http')
  })

  it('names a team store it cannot reach without printing its password, and does not start', async () => {
    const { code, err } = await tagsmith('serve', '--store', 'postgresql://ana:s3cret@127.0.0.1:1/labels')
    expect(code).not.toBe(0)
    expect(err).toContain('cannot reach PostgreSQL at 127.0.0.1:1: connection refused')
    expect(err).toContain('postgresql://ana:***@127.0.0.1:1/labels')
    expect(err).not.toContain('s3cret')
  })

  it('names a missing, unreadable, wrong or mismatched certificate file', async () => {
    const missing = join(temp.dir, 'missing.pem')
    const notCert = join(temp.dir, 'not-a-cert.pem')
    const cases: Array<[string[], string]> = [
      [['--tls-cert', missing, '--tls-key', key], `cannot read --tls-cert ${missing}: no such file`],
      [['--tls-cert', cert, '--tls-key', temp.dir], `cannot read --tls-key ${temp.dir}: it is a folder`],
      [['--tls-cert', notCert, '--tls-key', key], `--tls-cert ${notCert} is not a PEM certificate`],
      [['--tls-cert', cert, '--tls-key', notCert], `--tls-key ${notCert} is not a PEM private key`],
      [['--tls-cert', cert, '--tls-key', otherKey], `--tls-key ${otherKey} does not match the certificate in --tls-cert ${cert}`],
    ]
    for (const [args, message] of cases) {
      const { code, err } = await tagsmith('serve', '--host', '192.0.2.10', ...args)
      expect(code, args.join(' ')).toBe(2)
      expect(err, args.join(' ')).toContain(message)
    }
  })
})

describe('tagsmith serve with a certificate', () => {
  let served: Served
  const origin = (): string => `https://127.0.0.1:${served.port}`

  beforeAll(async () => {
    served = await serve(['--ui', fakeUi(temp.dir), '--tls-cert', cert, '--tls-key', key, '--public-name', 'labels.example'], join(temp.dir, 'config'))
  })
  afterAll(async () => {
    expect(await served.stop()).toBe(0)
  })

  it('prints an https address under the public name and serves HTTPS with a Secure cookie', async () => {
    expect(served.url).toBe(`https://labels.example:${served.port}/?token=${served.token}`)
    const first = await httpsGet(served.port, `/?token=${served.token}`)
    expect(first.status).toBe(303)
    expect(String(first.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict; Path=\/; Secure$/)
    expect(first.headers['content-security-policy']).toContain(`wss://labels.example:${served.port}`)
    const cookie = `tagsmith-token-${served.port}=${served.token}`
    expect((await httpsGet(served.port, '/', { cookie })).status).toBe(200)
    expect((await httpsGet(served.port, '/', { cookie, host: `labels.example:${served.port}` })).status).toBe(200)
    expect((await httpsGet(served.port, '/', { cookie, host: `other.example:${served.port}` })).status).toBe(403)
    expect((await httpsGet(served.port, '/')).status).toBe(401)
  })

  it('opens a WSS socket from its https origins and refuses the plain-http one', async () => {
    const open = (from: string): Promise<number> =>
      new Promise((done, fail) => {
        const ws = new WebSocket(`wss://127.0.0.1:${served.port}/ws?token=${served.token}`, { origin: from, ca: readFileSync(cert) })
        ws.once('open', () => {
          ws.send(JSON.stringify({ type: 'invoke', id: 1, name: 'app:info', input: {} }))
          ws.once('message', (data) => {
            expect(JSON.parse(data.toString())).toMatchObject({ id: 1, ok: true })
            ws.close()
            done(101)
          })
        })
        ws.once('unexpected-response', (_req, res) => done(res.statusCode ?? 0))
        ws.once('error', fail)
      })
    expect(await open(origin())).toBe(101)
    expect(await open(`https://labels.example:${served.port}`)).toBe(101)
    expect(await open(`http://127.0.0.1:${served.port}`)).toBe(403)
  })
})

describe('tagsmith serve --insecure-http', () => {
  it('serves plain HTTP and warns on stderr', async () => {
    const served = await serve(['--ui', fakeUi(temp.dir), '--host', '127.0.0.1', '--insecure-http'], join(temp.dir, 'config'))
    try {
      expect(served.url.startsWith('http://127.0.0.1:')).toBe(true)
      await expect.poll(() => served.stderr()).toContain('warning: --insecure-http: serving plain HTTP on 127.0.0.1')
    } finally {
      const code = await served.stop()
      expect(code, served.stderr()).toBe(0)
    }
  })
})
