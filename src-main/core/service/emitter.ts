// A minimal typed event emitter: one per event stream, so listener counts can be checked per stream.
// `origin` names the client whose request caused the event, letting a transport skip echoing it back.
export type Listener<T> = (payload: T, origin: string | undefined) => void

export class Emitter<T> {
  readonly #listeners = new Set<{ listener: Listener<T> }>()

  /** Adds a listener; the returned function removes exactly this subscription (idempotent). */
  on(listener: Listener<T>): () => void {
    const entry = { listener }
    this.#listeners.add(entry)
    return () => {
      this.#listeners.delete(entry)
    }
  }

  emit(payload: T, origin?: string): void {
    for (const entry of [...this.#listeners]) {
      try {
        entry.listener(payload, origin)
      } catch (err) {
        // One broken subscriber (a closed socket, a destroyed window) must not stop the others.
        console.error('tagsmith: event listener failed:', err instanceof Error ? err.message : err)
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size
  }
}
