// Web mode's gatekeeping. The server binds to loopback, but any local web page can reach loopback, so
// every request must also carry the random token (in the URL once, then in an HttpOnly SameSite=Strict
// cookie), name this server as its Host (defeats DNS rebinding), and a WebSocket must come from our own
// origin (defeats cross-site WebSocket hijacking).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const LOOPBACK = '127.0.0.1'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export class Gate {
  readonly cookieName: string
  readonly #token: Buffer
  readonly #hosts: ReadonlySet<string>
  readonly #origins: ReadonlySet<string>

  constructor(
    readonly token: string,
    readonly port: number,
  ) {
    this.#token = Buffer.from(token)
    // Cookies are shared across ports of one host; the port in the name keeps two servers apart.
    this.cookieName = `tagsmith-token-${port}`
    this.#hosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`])
    this.#origins = new Set([...this.#hosts].map((host) => `http://${host}`))
  }

  hostAllowed(req: IncomingMessage): boolean {
    return this.#hosts.has((req.headers.host ?? '').toLowerCase())
  }

  /** Browsers always send Origin on a WebSocket; a client without one is not a web page. */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin
    return origin === undefined || this.#origins.has(origin.toLowerCase())
  }

  /** The token from `?token=` or from our cookie, if either matches. */
  authorised(req: IncomingMessage, query: URLSearchParams): boolean {
    return this.matches(query.get('token')) || this.matches(readCookie(req, this.cookieName))
  }

  matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false
    const given = Buffer.from(candidate)
    return given.length === this.#token.length && timingSafeEqual(given, this.#token)
  }

  setCookieHeader(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`
  }
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
