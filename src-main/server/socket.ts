// The WebSocket side of web mode: checks each upgrade, then runs one service Session per connection.
// A connection opened with a user token is that user's: the token is checked again before each message,
// so a removed user's socket closes at once instead of writing one more edit.
import { EventEmitter } from 'node:events'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Service } from '../core/service/index.ts'
import { Session } from '../core/service/session.ts'
import type { Gate } from './auth.ts'

/** Close code for a user token that stopped working (4000–4999 are the application's). */
export const CLOSE_USER_REMOVED = 4401
const USER_REMOVED = 'your user token no longer works here: the user was removed from this project'

// A labels:set over a whole 100k-image dataset fits comfortably; anything larger is refused by ws.
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024

export class SocketHub extends EventEmitter<{ connect: [string]; disconnect: [string] }> {
  readonly #wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES })
  readonly #sessions = new Set<Session>()
  #next = 1

  constructor(
    private readonly service: Service,
    private readonly gate: Gate,
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
    ws.on('message', (data, isBinary) => {
      if (user && this.gate.userOf(user.token) !== user.name) {
        // Answer the invoke it carried (nothing was done), then close with the reason.
        if (!isBinary) session.unauthorised(data.toString(), USER_REMOVED)
        session.close()
        ws.close(CLOSE_USER_REMOVED, USER_REMOVED)
        return
      }
      if (isBinary) session.refuse('messages must be JSON text, not binary')
      else void session.receive(data.toString())
    })
    ws.on('error', () => ws.terminate())
    ws.on('close', () => {
      session.close()
      this.#sessions.delete(session)
      this.emit('disconnect', clientId)
    })
    this.emit('connect', clientId)
  }
}

function refuse(socket: Duplex, status: number, reason: string, body: string = reason): void {
  const bytes = Buffer.byteLength(body)
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes}\r\n\r\n${body}`)
}
