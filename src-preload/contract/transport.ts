// How requests and events travel: the API both bridges provide, and the messages of web mode.
import type { WireError } from './jobs.ts'
import type { EventName, Events, RequestName, Requests } from './requests.ts'

/** What `window.tagsmith` (Electron) and the WebSocket bridge (web mode) both provide. */
export interface TagsmithApi {
  /** Resolves with the answer; rejects with an error carrying `code` and `message` (a WireError). */
  invoke<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']>
  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void
  /** URL of an image's cached thumbnail, or of the full image, that an <img> may load. A thumbnail asked
   *  for with its row's `hash8` may be cached for good; otherwise the browser revalidates each time. */
  imageUrl(imageId: number, kind: 'thumb' | 'full', hash8?: string | null): string
  /** Absolute path of a file dropped on the window (Electron); null where the platform hides it (web). */
  pathForFile(file: File): string | null
}

/** The answer to one request as it travels over IPC or the WebSocket. */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: WireError }

/** Web mode, client -> server. `id` pairs an invoke with its reply. */
export type ClientMessage =
  | { type: 'invoke'; id: number; name: RequestName; input: unknown }
  | { type: 'subscribe'; name: EventName }
  | { type: 'unsubscribe'; name: EventName }

/** Web mode, server -> client. A message the server could not read is answered with `id: null`. */
export type ServerMessage =
  | ({ id: number | null } & Reply)
  | { type: 'event'; name: EventName; payload: unknown }
