// The WebSocket side of web mode: checks each upgrade, then runs one service Session per connection.
// A connection opened with a user token is that user's: the token is checked again before each message,
// so a removed user's socket closes at once instead of writing one more edit, and every few seconds, so
// an idle one stops hearing the project's events too.
import { EventEmitter } from 'node:events'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Service } from '../core/service/index.ts'
import { Session } from '../core/service/session.ts'
import type { Gate } from './auth.ts'

/** Close code for a user token that stopped working (4000–4999 are the application's). */
export const CLOSE_USER_REMOVED = 4401
const USER_REMOVED = 'your user token no longer works here: the user was removed from this project, or another was opened'
/** How often idle users' sockets are checked. */
export const DEFAULT_RECHECK_MS = 2000

interface UserSocket {
  name: string
  token: string
  session: Session
}

// A labels:set over a whole 100k-image dataset fits comfortably; anything larger is refused by ws.
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024

export class SocketHub extends EventEmitter<{ connect: [string]; disconnect: [string] }> {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  readonly #sessions = new Set<Session>()
  readonly #users = new Map<WebSocket, UserSocket>()
  #recheck: NodeJS.Timeout | null = null
  #next = 1

  constructor(
    private readonly service: Service,
    private readonly gate: Gate,
    private readonly recheckMs: number = DEFAULT_RECHECK_MS,
  ) {
    super()
  }

  get sessionCount(): number {
    return this.#sessions.size
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy())
    const url = new URL(req.url ?? '/', 'http://placeholder')
    if (url.pathname !== '/ws') return refuse(socket, 404, 'Not Found')
    if (!this.gate.hostAllowed(req)) return refuse(socket, 403, 'Forbidden')
    if (!this.gate.originAllowed(req)) return refuse(socket, 403, 'Forbidden')
    const access = this.gate.access(req, url.searchParams)
    if (!access.ok) return refuse(socket, 401, 'Unauthorized', access.reason)
    const user = access.user === null ? undefined : { name: access.user, token: access.token }
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connect(ws, user))
  }

  close(): void {
    if (this.#recheck) clearInterval(this.#recheck)
    this.#recheck = null
    for (const client of this.#wss.clients) client.terminate()
    this.#wss.close()
  }

  #connect(ws: WebSocket, user: { name: string; token: string } | undefined): void {
    const clientId = `web-${this.#next++}`
    const session = new Session(
      this.service,
      (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
      },
      clientId,
      user?.name,
    )
    this.#sessions.add(session)
    if (user) this.#watch(ws, { ...user, session })
    ws.on('message', (data, isBinary) => {
      if (user && !this.#stillUser(ws)) {
        // Answer the invoke it carried (nothing was done) before the close.
        if (!isBinary) session.unauthorised(data.toString(), USER_REMOVED)
        this.#expel(ws)
        return
      }
      if (isBinary) session.refuse('messages must be JSON text, not binary')
      else void session.receive(data.toString())
    })
    ws.on('error', () => ws.terminate())
    ws.on('close', () => {
      this.#users.delete(ws)
      session.close()
      this.#sessions.delete(session)
      this.emit('disconnect', clientId)
    })
    this.emit('connect', clientId)
  }

  #watch(ws: WebSocket, user: UserSocket): void {
    this.#users.set(ws, user)
    this.#recheck ??= setInterval(() => {
      for (const socket of [...this.#users.keys()]) if (!this.#stillUser(socket)) this.#expel(socket)
      if (this.#users.size === 0 && this.#recheck) {
        clearInterval(this.#recheck)
        this.#recheck = null
      }
    }, this.recheckMs).unref()
  }

  #stillUser(ws: WebSocket): boolean {
    const user = this.#users.get(ws)
    return user !== undefined && this.gate.userOf(user.token) === user.name
  }

  /** Stops a removed user's session (no more events or replies) and closes its socket saying why. */
  #expel(ws: WebSocket): void {
    this.#users.get(ws)?.session.close()
    this.#users.delete(ws)
    ws.close(CLOSE_USER_REMOVED, USER_REMOVED)
  }
}

function refuse(socket: Duplex, status: number, reason: string, body: string = reason): void {
  const bytes = Buffer.byteLength(body)
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes}\r\n\r\n${body}`)
}
