// Web mode's bridge: the TagsmithApi over one WebSocket that reconnects by itself, and says how the link
// stands so the page can show it (reconnecting, or the server ended this page's access).
import type { EventName, Events, RequestName, Requests, ServerMessage, TagsmithApi } from '../src-preload/contract.ts'
import { BridgeError, cloneRefusal } from './bridge-errors.ts'

/** How the page's link to the server stands. */
export type LinkState =
  | { kind: 'connecting' | 'open' | 'reconnecting' }
  /** The server closed the socket saying this page's user may no longer use it; nothing reconnects. */
  | { kind: 'ended'; reason: string }
  /** The very first connection failed: the server refused the page's token (the browser hides why). */
  | { kind: 'refused'; reason: string }

export interface Link {
  readonly state: LinkState
  /** Calls `listener` on every change; returns the function that stops it. */
  watch(listener: (state: LinkState) => void): () => void
}

/** Close code the server gives a team member's socket when their user token stopped working. */
export const CLOSE_ACCESS_ENDED = 4401
/** Code of the errors invokes reject with once the server ended this page's access. */
export const ACCESS_ENDED = 'UNAUTHORIZED'
export const LOST = 'the connection to Tagsmith was lost; check whether the change was saved'
export const REFUSED = "the server refused this page's token"
const MAX_RETRY_MS = 5000

type AnyListener = (payload: unknown) => void
interface Pending {
  name: RequestName
  text: string
  /** Sent again after a reconnect: a second loss is reported, not retried. */
  resent: boolean
  resolve(value: unknown): void
  reject(err: BridgeError): void
}

// Sets absolute values, so sending it again after a lost answer changes nothing the first one did.
const SAFE_TO_RESEND: ReadonlySet<RequestName> = new Set<RequestName>(['labels:set'])

/** Invokes wait for the socket to open; the socket reconnects and re-subscribes by itself. */
export class SocketBridge implements TagsmithApi, Link {
  #socket: WebSocket | null = null
  #open = false
  #everOpened = false
  #nextId = 1
  #failures = 0
  #state: LinkState = { kind: 'connecting' }
  readonly #watchers = new Set<(state: LinkState) => void>()
  /** Invokes not yet sent (the socket is connecting). */
  readonly #queue = new Map<number, string>()
  /** Invokes sent and awaiting their reply, plus queued ones. */
  readonly #pending = new Map<number, Pending>()
  readonly #listeners = new Map<EventName, Set<AnyListener>>()

  constructor(private readonly url: string) {
    this.#connect()
  }

  get link(): Link {
    return this
  }

  get state(): LinkState {
    return this.#state
  }

  watch(listener: (state: LinkState) => void): () => void {
    this.#watchers.add(listener)
    return () => void this.#watchers.delete(listener)
  }

  invoke<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const refusal = cloneRefusal(name, input)
    if (refusal !== null) return Promise.reject(refusal)
    const closed = this.#closedFor()
    if (closed !== null) return Promise.reject(closed)
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      const text = JSON.stringify({ type: 'invoke', id, name, input })
      this.#pending.set(id, { name, text, resent: false, resolve: resolve as (value: unknown) => void, reject })
      if (this.#open && this.#socket) this.#socket.send(text)
      else this.#queue.set(id, text)
    })
  }

  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    const entry = listener as AnyListener
    let set = this.#listeners.get(name)
    if (!set) {
      set = new Set()
      this.#listeners.set(name, set)
      this.#send({ type: 'subscribe', name })
    }
    set.add(entry)
    return () => {
      const current = this.#listeners.get(name)
      if (!current?.delete(entry) || current.size > 0) return
      this.#listeners.delete(name)
      this.#send({ type: 'unsubscribe', name })
    }
  }

  imageUrl(imageId: number, kind: 'thumb' | 'full', hash8?: string | null): string {
    const url = `/image/${imageId}/${kind}`
    return typeof hash8 === 'string' && /^[0-9a-f]{8}$/.test(hash8) ? `${url}?v=${hash8}` : url
  }

  pathForFile(): string | null {
    return null // browsers do not reveal where a dropped file lives
  }

  #connect(): void {
    const socket = new WebSocket(this.url)
    this.#socket = socket
    socket.onopen = () => {
      this.#open = true
      this.#everOpened = true
      this.#failures = 0
      for (const name of this.#listeners.keys()) this.#send({ type: 'subscribe', name })
      for (const text of this.#queue.values()) socket.send(text)
      this.#queue.clear()
      this.#setState({ kind: 'open' })
    }
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.#receive(event.data)
    }
    socket.onclose = (event: CloseEvent) => {
      this.#open = false
      this.#socket = null
      if (event.code === CLOSE_ACCESS_ENDED) return this.#end({ kind: 'ended', reason: event.reason || 'the server closed this page' })
      // A page whose first connection fails was refused at the upgrade (HTTP 401): retrying cannot help.
      if (!this.#everOpened) return this.#end({ kind: 'refused', reason: REFUSED })
      this.#lostSent()
      this.#setState({ kind: 'reconnecting' })
      const delay = Math.min(MAX_RETRY_MS, 250 * 2 ** this.#failures++)
      setTimeout(() => this.#connect(), delay)
    }
  }

  /**
   * Sent but unanswered: the service may or may not have applied them. A label edit is queued to go again
   * on the next connection (once); anything else is reported, never retried.
   */
  #lostSent(): void {
    for (const [id, pending] of this.#pending) {
      if (this.#queue.has(id)) continue
      if (SAFE_TO_RESEND.has(pending.name) && !pending.resent) {
        pending.resent = true
        this.#queue.set(id, pending.text)
        continue
      }
      this.#pending.delete(id)
      pending.reject(new BridgeError('UNAVAILABLE', LOST))
    }
  }

  /** No more connections: every waiting invoke fails saying why. */
  #end(state: Extract<LinkState, { reason: string }>): void {
    this.#setState(state)
    const err = this.#closedFor()
    this.#queue.clear()
    for (const pending of this.#pending.values()) if (err) pending.reject(err)
    this.#pending.clear()
  }

  #closedFor(): BridgeError | null {
    const s = this.#state
    if (s.kind === 'ended') return new BridgeError(ACCESS_ENDED, `your access to this server ended: ${s.reason}`)
    if (s.kind === 'refused') return new BridgeError(ACCESS_ENDED, s.reason)
    return null
  }

  #setState(state: LinkState): void {
    if (state.kind === this.#state.kind && !('reason' in state)) return
    this.#state = state
    for (const watcher of [...this.#watchers]) watcher(state)
  }

  #send(message: { type: 'subscribe' | 'unsubscribe'; name: EventName }): void {
    if (this.#open && this.#socket) this.#socket.send(JSON.stringify(message))
  }

  #receive(text: string): void {
    let message: ServerMessage
    try {
      message = JSON.parse(text) as ServerMessage
    } catch {
      return
    }
    if ('type' in message) {
      for (const listener of [...(this.#listeners.get(message.name) ?? [])]) listener(message.payload)
      return
    }
    if (message.id === null) {
      if (!message.ok) console.warn(`tagsmith: the server could not read a message: ${message.error.message}`)
      return
    }
    const pending = this.#pending.get(message.id)
    if (!pending) return
    this.#pending.delete(message.id)
    if (message.ok) pending.resolve(message.result)
    else pending.reject(new BridgeError(message.error.code, message.error.message))
  }
}
