// The renderer's one door to the service. In Electron the preload provides `window.tagsmith`; in a web
// browser (`tagsmith serve`) the same interface runs over a WebSocket. Nothing else in the renderer
// knows which it got.
import type {
  EventName,
  Events,
  RequestName,
  Requests,
  ServerMessage,
  TagsmithApi,
} from '../src-preload/contract.ts'
import { BridgeError, cloneRefusal, toBridgeError } from './bridge-errors.ts'

export { BridgeError }

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a web browser. */
    tagsmith?: TagsmithApi
  }
}

let bridge: TagsmithApi | undefined

export function getBridge(): TagsmithApi {
  bridge ??= window.tagsmith ? fromPreload(window.tagsmith) : new SocketBridge(socketUrl())
  return bridge
}

function socketUrl(): string {
  return `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/ws`
}

function fromPreload(api: TagsmithApi): TagsmithApi {
  return {
    invoke: <K extends RequestName>(name: K, input: Requests[K]['in']) => {
      const refusal = cloneRefusal(name, input)
      if (refusal !== null) return Promise.reject(refusal)
      return api.invoke(name, input).catch((err: unknown) => {
        throw toBridgeError(err)
      })
    },
    on: (name, listener) => api.on(name, listener),
    imageUrl: (imageId, kind, hash8) => api.imageUrl(imageId, kind, hash8),
    pathForFile: (file) => api.pathForFile(file),
  }
}

type AnyListener = (payload: unknown) => void
interface Pending {
  resolve(value: unknown): void
  reject(err: BridgeError): void
}

const MAX_RETRY_MS = 5000

/** Web mode: invokes wait for the socket to open; the socket reconnects and re-subscribes by itself. */
class SocketBridge implements TagsmithApi {
  #socket: WebSocket | null = null
  #open = false
  #nextId = 1
  #failures = 0
  /** Invokes not yet sent (the socket is connecting). */
  readonly #queue = new Map<number, string>()
  /** Invokes sent and awaiting their reply, plus queued ones. */
  readonly #pending = new Map<number, Pending>()
  readonly #listeners = new Map<EventName, Set<AnyListener>>()

  constructor(private readonly url: string) {
    this.#connect()
  }

  invoke<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const refusal = cloneRefusal(name, input)
    if (refusal !== null) return Promise.reject(refusal)
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
      const text = JSON.stringify({ type: 'invoke', id, name, input })
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
      this.#failures = 0
      for (const name of this.#listeners.keys()) this.#send({ type: 'subscribe', name })
      for (const text of this.#queue.values()) socket.send(text)
      this.#queue.clear()
    }
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data === 'string') this.#receive(event.data)
    }
    socket.onclose = () => {
      this.#open = false
      this.#socket = null
      // Sent but unanswered: the service may or may not have applied them, so say so, never retry.
      for (const [id, pending] of this.#pending) {
        if (this.#queue.has(id)) continue
        this.#pending.delete(id)
        pending.reject(new BridgeError('UNAVAILABLE', 'the connection to Tagsmith was lost; check whether the change was saved'))
      }
      const delay = Math.min(MAX_RETRY_MS, 250 * 2 ** this.#failures++)
      setTimeout(() => this.#connect(), delay)
    }
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
