// The WebSocket side of web mode: checks each upgrade, then runs one service Session per connection.
import { EventEmitter } from 'node:events'
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Service } from '../core/service/index.ts'
import { Session } from '../core/service/session.ts'
import type { Gate } from './auth.ts'

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
    if (!this.gate.authorised(req, url.searchParams)) return refuse(socket, 401, 'Unauthorized')
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connect(ws))
  }

  close(): void {
    for (const client of this.#wss.clients) client.terminate()
    this.#wss.close()
  }

  #connect(ws: WebSocket): void {
    const clientId = `web-${this.#next++}`
    const session = new Session(
      this.service,
      (message) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
      },
      clientId,
    )
    this.#sessions.add(session)
    ws.on('message', (data, isBinary) => {
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

function refuse(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${reason.length}\r\n\r\n${reason}`)
}
