// Web mode: the built renderer, project images and the contract over a WebSocket, on 127.0.0.1 unless
// told otherwise (listen.ts decides what else is allowed), over HTTPS when given a certificate.
import { createReadStream, existsSync, statSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { toWireError } from '../core/errors.ts'
import type { Service } from '../core/service/index.ts'
import { userOfToken } from '../core/store/users.ts'
import { Gate, LOOPBACK, hostPart, newToken } from './auth.ts'
import { contentType, fileImageType, imageAnswerHeaders } from '../core/service/content-type.ts'
import { imageCacheControl } from '../core/service/image-cache.ts'
import { setSecurityHeaders } from './headers.ts'
import { SocketHub } from './socket.ts'
import { lookupStatic } from './static-path.ts'

export interface ServerOptions {
  service: Service
  /** 0 picks a free port. */
  port: number
  /** Folder of the built renderer. */
  uiDir: string
  /** Defaults to 24 random bytes; fixed only by tests that need to know it in advance. */
  token?: string
  /** Address to bind; default 127.0.0.1. Anything else must have passed planListen. */
  host?: string
  /** PEM certificate and key: serve HTTPS and WSS. */
  tls?: { cert: string; key: string } | null
  /** The name users type, allowed in Host and Origin and used in the printed address. */
  publicName?: string | null
  /** How often idle team members' sockets are checked for a removed user (ms). */
  recheckMs?: number
  /** The user a user token names in the open project, or null; default: the users of the service's project. */
  userOfToken?: (token: string) => string | null
}

export interface RunningServer {
  url: string
  port: number
  token: string
  sockets: SocketHub
  close(): Promise<void>
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? newToken()
  const host = options.host ?? LOOPBACK
  const http: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }) : createServer()
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject)
    http.listen({ host, port: options.port, exclusive: true }, () => {
      http.off('error', reject)
      resolve()
    })
  })
  const { port } = http.address() as AddressInfo
  const names = [host, ...(options.publicName ? [options.publicName] : [])]
  // Read from the open project at each check: a user removed there (by any process) is refused at once.
  const users = options.userOfToken ?? ((candidate: string) => (options.service.project ? userOfToken(options.service.project.db, candidate) : null))
  const gate = new Gate(token, port, { names, secure: !!options.tls, userOfToken: users })
  const sockets = new SocketHub(options.service, gate, options.recheckMs)
  http.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res, options, gate).catch((err: unknown) => {
      if (!res.headersSent) sendText(res, 500, toWireError(err).message)
      else res.destroy()
    })
  })
  http.on('upgrade', (req, socket, head) => sockets.upgrade(req, socket, head))
  // No request may hang a connection forever.
  http.headersTimeout = 10_000
  http.requestTimeout = 60_000

  return {
    url: `${options.tls ? 'https' : 'http'}://${hostPart(options.publicName ?? host)}:${port}/?token=${token}`,
    port,
    token,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.close()
        http.closeAllConnections()
        http.close(() => resolve())
      }),
  }
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, options: ServerOptions, gate: Gate): Promise<void> {
  setSecurityHeaders(res, gate.port, gate.socketOrigins)
  if (!gate.hostAllowed(req)) return sendText(res, 403, 'Forbidden: unexpected Host header')
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    return sendText(res, 405, 'Method Not Allowed')
  }
  const raw = req.url ?? '/'
  const queryAt = raw.indexOf('?')
  const rawPath = queryAt >= 0 ? raw.slice(0, queryAt) : raw
  const query = new URLSearchParams(queryAt >= 0 ? raw.slice(queryAt + 1) : '')
  const access = gate.access(req, query)
  if (!access.ok) return sendText(res, 401, access.reason)
  const image = /^\/image\/([^/]+)\/(thumb|full)$/.exec(rawPath)
  if (image) return sendImage(req, res, options.service, image[1] ?? '', image[2] === 'thumb' ? 'thumb' : 'full', query.get('v'))
  if (query.has('token')) {
    // Trade the token in the address bar for a cookie, then drop it from the URL (and the history).
    query.delete('token')
    res.setHeader('Set-Cookie', gate.setCookieHeader(access.token))
    const target = rawPath.startsWith('//') ? '/' : rawPath // never an off-site "//host" redirect
    res.setHeader('Location', target + (query.size > 0 ? `?${query}` : ''))
    res.setHeader('Cache-Control', 'no-store')
    res.writeHead(303).end()
    return
  }
  return sendStatic(req, res, options.uiDir, rawPath)
}

async function sendImage(
  req: IncomingMessage,
  res: ServerResponse,
  service: Service,
  idText: string,
  kind: 'thumb' | 'full',
  version: string | null,
): Promise<void> {
  const id = /^[1-9][0-9]{0,15}$/.test(idText) ? Number(idText) : NaN
  if (!Number.isSafeInteger(id)) return sendText(res, 400, `Bad Request: image id must be a positive integer`)
  let source: { file: string; hash8: string | null }
  try {
    source = await service.imageSource(id, kind)
  } catch (err) {
    const { code, message } = toWireError(err)
    const status = code === 'NOT_FOUND' || code === 'CONFLICT' ? 404 : code === 'BAD_INPUT' ? 422 : 500
    return sendText(res, status, message)
  }
  // Typed by content, never by name: a dataset file named .html or .js must not run from our origin.
  const pagePolicy = res.getHeader('Content-Security-Policy')
  const headers = imageAnswerHeaders(await fileImageType(source.file), typeof pagePolicy === 'string' ? pagePolicy : '')
  sendFile(req, res, source.file, imageCacheControl(kind, version, source.hash8), headers)
}

function sendStatic(req: IncomingMessage, res: ServerResponse, uiDir: string, rawPath: string): void {
  if (!existsSync(join(uiDir, 'index.html'))) {
    return sendText(res, 503, 'The Tagsmith UI is not built yet. Run `npm run build` in the Tagsmith folder, then reload this page.')
  }
  let found = lookupStatic(uiDir, rawPath)
  // Paths without a file extension are the UI's own routes: answer them with the app.
  if (found.kind === 'missing' && !/\.[^/]*$/.test(rawPath)) found = lookupStatic(uiDir, '/index.html')
  if (found.kind === 'refused') return sendText(res, 400, 'Bad Request: path refused')
  if (found.kind === 'missing') return sendText(res, 404, 'Not Found')
  const hashedAsset = rawPath.startsWith('/assets/')
  sendFile(req, res, found.file, hashedAsset ? 'private, max-age=31536000, immutable' : 'no-store', { 'Content-Type': contentType(found.file) })
}

function sendFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  cacheControl: string,
  headers: Record<string, string>,
): void {
  const stats = statSync(file, { throwIfNoEntry: false })
  if (!stats?.isFile()) return sendText(res, 404, 'Not Found')
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`
  res.setHeader('Cache-Control', cacheControl)
  res.setHeader('ETag', etag)
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304).end()
    return
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  res.setHeader('Content-Length', stats.size)
  res.writeHead(200)
  if (req.method === 'HEAD') {
    res.end()
    return
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.setHeader('Cache-Control', 'no-store')
  res.writeHead(status).end(`${text}\n`)
}
