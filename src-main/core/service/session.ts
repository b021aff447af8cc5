// One client of the service over a message channel (web mode's WebSocket, or an in-memory channel in
// tests): parses client messages, answers invokes, and forwards only the events the client subscribed
// to. Anything malformed gets an error reply; nothing a client sends can throw out of `receive`.
import type { EventName, ServerMessage } from '../../../src-preload/contract.ts'
import type { Service } from './index.ts'
import { isEventName } from '../../../src-shared/names.ts'

export type Send = (message: ServerMessage) => void

export class Session {
  readonly #subscriptions = new Map<EventName, () => void>()
  #closed = false

  constructor(
    private readonly service: Service,
    private readonly send: Send,
    /** Identifies this client as the origin of its own edits, which it is not sent back. */
    readonly clientId: string,
    /** The team member this client acts for, recorded as the author of its edits; unset: the app's own user. */
    readonly user?: string,
  ) {}

  async receive(raw: string): Promise<void> {
    let message: unknown
    try {
      message = JSON.parse(raw)
    } catch {
      this.#reply({ id: null, ok: false, error: badInput('the message is not valid JSON') })
      return
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.#reply({ id: null, ok: false, error: badInput('a message must be a JSON object') })
      return
    }
    const { type, id, name, input } = message as Record<string, unknown>
    switch (type) {
      case 'invoke': {
        if (!isMessageId(id)) {
          this.#reply({ id: null, ok: false, error: badInput('an invoke needs a numeric id (a non-negative integer)') })
          return
        }
        const reply = await this.service.handle(name, input, this.clientId, this.user)
        this.#reply({ id, ...reply })
        return
      }
      case 'subscribe':
      case 'unsubscribe': {
        if (!isEventName(name)) {
          this.#reply({ id: null, ok: false, error: badInput(`cannot ${type}: unknown event ${describe(name)}`) })
          return
        }
        if (type === 'subscribe') this.#subscribe(name)
        else this.#unsubscribe(name)
        return
      }
      default:
        this.#reply({ id: null, ok: false, error: badInput(`unknown message type ${describe(type)}`) })
    }
  }

  /** Answers a message the transport could not even hand over (binary, too large). */
  refuse(reason: string): void {
    this.#reply({ id: null, ok: false, error: badInput(reason) })
  }

  /** Answers a message that arrived after the client's access ended: its invoke fails, nothing is done. */
  unauthorised(raw: string, reason: string): void {
    let id: number | null = null
    try {
      const message: unknown = JSON.parse(raw)
      if (typeof message === 'object' && message !== null && isMessageId((message as { id?: unknown }).id)) id = (message as { id: number }).id
    } catch {
      // not JSON: answered without an id
    }
    this.#reply({ id, ok: false, error: { code: 'UNAVAILABLE', message: reason } })
  }

  /** Drops every subscription; later events and replies are not sent. */
  close(): void {
    this.#closed = true
    for (const name of [...this.#subscriptions.keys()]) this.#unsubscribe(name)
  }

  get subscriptionCount(): number {
    return this.#subscriptions.size
  }

  #subscribe<E extends EventName>(name: E): void {
    if (this.#closed || this.#subscriptions.has(name)) return
    const off = this.service.subscribe(name, this.clientId, (payload) => this.#reply({ type: 'event', name, payload }))
    this.#subscriptions.set(name, off)
  }

  #unsubscribe(name: EventName): void {
    this.#subscriptions.get(name)?.()
    this.#subscriptions.delete(name)
  }

  #reply(message: ServerMessage): void {
    if (this.#closed) return
    try {
      this.send(message)
    } catch (err) {
      console.error('tagsmith: could not send to client:', err instanceof Error ? err.message : err)
    }
  }
}

function isMessageId(id: unknown): id is number {
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0
}

function badInput(message: string): { code: string; message: string } {
  return { code: 'BAD_INPUT', message }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : `(${value === null ? 'null' : typeof value})`
}
