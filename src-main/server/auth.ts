// Web mode's gatekeeping. The server binds to loopback, but any local web page can reach loopback, so
// every request must also carry the random token (in the URL once, then in an HttpOnly SameSite=Strict
// cookie), name this server as its Host (defeats DNS rebinding), and a WebSocket must come from our own
// origin (defeats cross-site WebSocket hijacking). Off loopback the same checks hold for the configured
// names. Besides the launch token, a team member's user token of the open project opens it as that user.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'
import { wellFormedToken } from '../core/store/users.ts'

export const LOOPBACK = '127.0.0.1'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Who a request is: the person who started the server (user null) or a user of the open project. */
export type Access = { ok: true; user: string | null; token: string } | { ok: false; reason: string }

export interface GateOptions {
  /** Names users type besides 127.0.0.1 and localhost: the bound address, --public-name. */
  names?: readonly string[]
  /** HTTPS/WSS: origins are https://, the cookie is Secure. */
  secure?: boolean
  /** The user a user token names in the open project, or null (unknown, removed, no project open). */
  userOfToken?: (token: string) => string | null
}

const NO_TOKEN = 'Unauthorized: open the address printed by `tagsmith serve`; it carries the access token.'

export class Gate {
  readonly cookieName: string
  readonly #secure: boolean
  readonly #token: Buffer
  readonly #hosts: ReadonlySet<string>
  readonly #origins: ReadonlySet<string>
  readonly #userOfToken: (token: string) => string | null

  constructor(
    readonly token: string,
    readonly port: number,
    options: GateOptions = {},
  ) {
    this.#token = Buffer.from(token)
    this.#secure = options.secure ?? false
    this.#userOfToken = options.userOfToken ?? (() => null)
    // Cookies are shared across ports of one host; the port in the name keeps two servers apart.
    this.cookieName = `tagsmith-token-${port}`
    const scheme = this.#secure ? 'https' : 'http'
    const names = new Set([LOOPBACK, 'localhost', ...(options.names ?? [])].map((name) => hostPart(name.toLowerCase())))
    const hosts = [...names].map((name) => `${name}:${port}`)
    // A browser leaves the scheme's own port out of Host and Origin.
    if (port === (this.#secure ? 443 : 80)) hosts.push(...names)
    this.#hosts = new Set(hosts)
    this.#origins = new Set(hosts.map((host) => `${scheme}://${host}`))
  }

  /** The origins pages of this server have, as ws:// or wss:// (for the page's connect-src). */
  get socketOrigins(): string[] {
    return [...this.#origins].map((origin) => origin.replace(/^http/, 'ws'))
  }

  hostAllowed(req: IncomingMessage): boolean {
    return this.#hosts.has((req.headers.host ?? '').toLowerCase())
  }

  /** Browsers always send Origin on a WebSocket; a client without one is not a web page. */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin
    return origin === undefined || this.#origins.has(origin.toLowerCase())
  }

  /**
   * Checks `?token=` first, then the cookie; a refusal says why (no token, malformed, no such user),
   * never echoing the token. Called on every request, so a removed user is refused at once.
   */
  access(req: IncomingMessage, query: URLSearchParams): Access {
    const given = [query.get('token'), readCookie(req, this.cookieName)].filter((t): t is string => !!t)
    let refusal: Access | null = null
    for (const candidate of given) {
      const access = this.#check(candidate)
      if (access.ok) return access
      refusal ??= access
    }
    return refusal ?? { ok: false, reason: NO_TOKEN }
  }

  #check(candidate: string): Access {
    if (this.#matches(candidate)) return { ok: true, user: null, token: candidate }
    if (!wellFormedToken(candidate)) {
      return { ok: false, reason: 'Unauthorized: the token is malformed; use the whole address printed by `tagsmith serve`, or your user token (tsu_…) as given.' }
    }
    const user = this.#userOfToken(candidate)
    if (user === null) {
      return {
        ok: false,
        reason: 'Unauthorized: this user token names no user of the project open on this server (it may belong to another project, or its user was removed). Ask whoever runs the server for a new one.',
      }
    }
    return { ok: true, user, token: candidate }
  }

  /** The user a user token still names: checked again before each message of a user's WebSocket. */
  userOf(token: string): string | null {
    return wellFormedToken(token) ? this.#userOfToken(token) : null
  }

  #matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false
    const given = Buffer.from(candidate)
    return given.length === this.#token.length && timingSafeEqual(given, this.#token)
  }

  /** The cookie that carries the token the address bar brought (the launch token or a user's). */
  setCookieHeader(token: string = this.token): string {
    return `${this.cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/${this.#secure ? '; Secure' : ''}`
  }
}

/** An address as it appears in a Host header or a URL: IPv6 in brackets. */
export function hostPart(name: string): string {
  return isIP(name) === 6 ? `[${name}]` : name
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}
