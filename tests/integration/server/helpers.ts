import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { WebSocket } from 'ws'
import type { ServerMessage } from '../../../src-preload/contract.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures')

/** A temp folder; the caller removes it (these tests share one server per file). */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-serve-'))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A project of the first `rows` apparel rows, images linked from the read-only fixture. */
export async function apparelProject(dir: string, rows = 10): Promise<string> {
  const apparel = join(fixturesDir(), 'apparel-mini')
  const lines = readFileSync(join(apparel, 'train.csv'), 'utf8').split('\n')
  writeFileSync(join(dir, 'train.csv'), `${lines.slice(0, rows + 1).join('\n')}\n`)
  symlinkSync(join(apparel, 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  const projectFile = join(dir, 'served.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [join(dir, 'train.csv')], projectFile })
  project.close()
  return projectFile
}

/** A stand-in for the built UI, with a file outside it that traversal attempts aim at. */
export function fakeUi(dir: string): string {
  const ui = join(dir, 'ui')
  mkdirSync(join(ui, 'assets'), { recursive: true })
  writeFileSync(join(ui, 'index.html'), '<!doctype html><title>Tagsmith</title><script type="module" src="./assets/app.js"></script>')
  writeFileSync(join(ui, 'assets', 'app.js'), 'console.log("tagsmith")\n')
  writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET-OUTSIDE-THE-UI')
  return ui
}

export interface Served {
  url: string
  port: number
  token: string
  origin: string
  child: ChildProcess
  /** What the server said on stderr so far. */
  stderr(): string
  stop(): Promise<number | null>
}

/** Runs `tagsmith serve ... --port 0 --json` as a real process; resolves once it printed its address. */
export function serve(args: string[], configDir: string): Promise<Served> {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'tagsmith.mjs'), 'serve', ...args, '--port', '0', '--json'], {
    env: { ...process.env, TAGSMITH_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  return new Promise((resolveServed, reject) => {
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const line = stdout.split('\n')[0]
      if (!stdout.includes('\n') || line === undefined) return
      const { url, port, token } = JSON.parse(line) as { url: string; port: number; token: string }
      resolveServed({
        url,
        port,
        token,
        origin: `http://127.0.0.1:${port}`,
        child,
        stderr: () => stderr,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM')
          return exited
        },
      })
    })
    void exited.then((code) => reject(new Error(`tagsmith serve exited (${code}) before printing its address: ${stderr}`)))
  })
}

export interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** GET with the path sent exactly as given (no URL normalisation), like a hostile client would. */
export function get(port: number, rawPath: string, headers: Record<string, string> = {}, host = '127.0.0.1'): Promise<HttpAnswer> {
  return new Promise((done, fail) => {
    const req = request({ host, port, path: rawPath, method: 'GET', headers }, (res) => {
      let body = ''
      res.setEncoding('latin1')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', fail)
    req.end()
  })
}

export function cookieFor(served: Served): string {
  return `tagsmith-token-${served.port}=${served.token}`
}

/** Opens a WebSocket; rejects with the HTTP status when the upgrade is refused. */
export function openSocket(port: number, options: { origin?: string; cookie?: string; query?: string }): Promise<SocketClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws${options.query ?? ''}`, {
    ...(options.origin ? { origin: options.origin } : {}),
    headers: options.cookie ? { cookie: options.cookie } : {},
  })
  return new Promise((done, fail) => {
    ws.once('open', () => done(new SocketClient(ws)))
    ws.once('unexpected-response', (_req, res) => fail(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode })))
    ws.once('error', fail)
  })
}

/** Collects server messages; `next` waits for the next one matching, never for a fixed time. */
export class SocketClient {
  readonly #inbox: ServerMessage[] = []
  readonly #waiters: Array<{ match(m: ServerMessage): boolean; done(m: ServerMessage): void; fail(e: Error): void }> = []
  #nextId = 1
  #closed = false

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as ServerMessage
      const waiter = this.#waiters.findIndex((w) => w.match(message))
      if (waiter >= 0) this.#waiters.splice(waiter, 1)[0]?.done(message)
      else this.#inbox.push(message)
    })
    // A dropped connection fails whoever still waits, instead of leaving the test hanging.
    ws.on('close', (code) => {
      this.#closed = true
      for (const waiter of this.#waiters.splice(0)) waiter.fail(new Error(`the socket closed (${code}) before the message came`))
    })
  }

  next(match: (m: ServerMessage) => boolean = () => true): Promise<ServerMessage> {
    const queued = this.#inbox.findIndex(match)
    if (queued >= 0) return Promise.resolve(this.#inbox.splice(queued, 1)[0] as ServerMessage)
    if (this.#closed) return Promise.reject(new Error('the socket is closed'))
    return new Promise((done, fail) => this.#waiters.push({ match, done, fail }))
  }

  /** Sends an invoke and waits for the reply with its id. */
  async invoke(name: string, input: unknown): Promise<ServerMessage> {
    const id = this.#nextId++
    this.ws.send(JSON.stringify({ type: 'invoke', id, name, input }))
    return this.next((m) => 'id' in m && m.id === id)
  }

  close(): Promise<void> {
    return new Promise((done) => {
      if (this.ws.readyState === WebSocket.CLOSED) return done()
      this.ws.once('close', () => done())
      this.ws.close()
    })
  }
}
