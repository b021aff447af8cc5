// An in-memory client of the service: every message is serialised to JSON and back, as over the
// WebSocket, and goes through the same Session the web server uses. No Electron, no sockets.
import type {
  EventName,
  Events,
  RequestName,
  Requests,
  ServerMessage,
  WireError,
} from '../../../src-preload/contract.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { Session } from '../../../src-main/core/service/session.ts'

export class FakeClient {
  readonly session: Session
  /** Every message the service sent this client, in order. */
  readonly received: ServerMessage[] = []
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: WireError): void }>()
  readonly #listeners = new Map<string, Set<(payload: unknown) => void>>()
  #nextId = 1

  /** `user`: the team member the client acts for, as a user token's connection does. */
  constructor(service: Service, clientId: string, user?: string) {
    this.session = new Session(service, (message) => this.#deliver(JSON.stringify(message)), clientId, user)
  }

  invoke<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    return this.invokeRaw(name, input) as Promise<Requests[K]['out']>
  }

  /** Like invoke, without type checks on what is sent: for malformed payloads. */
  invokeRaw(name: unknown, input: unknown): Promise<unknown> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      void this.session.receive(JSON.stringify({ type: 'invoke', id, name, input }))
    })
  }

  /** Sends raw text; resolves with the messages the service answered while handling it. */
  async send(text: string): Promise<ServerMessage[]> {
    const before = this.received.length
    await this.session.receive(text)
    return this.received.slice(before)
  }

  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    const entry = listener as (payload: unknown) => void
    let set = this.#listeners.get(name)
    if (!set) {
      set = new Set()
      this.#listeners.set(name, set)
      void this.session.receive(JSON.stringify({ type: 'subscribe', name }))
    }
    set.add(entry)
    return () => {
      const current = this.#listeners.get(name)
      if (!current?.delete(entry) || current.size > 0) return
      this.#listeners.delete(name)
      void this.session.receive(JSON.stringify({ type: 'unsubscribe', name }))
    }
  }

  close(): void {
    this.session.close()
  }

  #deliver(text: string): void {
    const message = JSON.parse(text) as ServerMessage
    this.received.push(message)
    if ('type' in message) {
      for (const listener of this.#listeners.get(message.name) ?? []) listener(message.payload)
      return
    }
    if (message.id === null) return
    const pending = this.#pending.get(message.id)
    this.#pending.delete(message.id)
    if (message.ok) pending?.resolve(message.result)
    else pending?.reject(message.error)
  }
}
