// The service's event streams, one emitter each, and the one rule for which client hears what.
import type { EventName, Events } from '../../../src-preload/contract.ts'
import { Emitter } from './emitter.ts'

export type EventEmitters = { [E in EventName]: Emitter<Events[E]> }

export function createEmitters(): EventEmitters {
  return {
    'job:progress': new Emitter(),
    'job:ended': new Emitter(),
    'labels:changed': new Emitter(),
    'app:command': new Emitter(),
    'train:epoch': new Emitter(),
    'train:done': new Emitter(),
  }
}

/**
 * Subscribes one client (a window, a web connection) to an event stream. A client is not sent the
 * labels:changed of its own edits: it already has those rows from the edit's reply.
 */
export function subscribeClient<E extends EventName>(
  emitters: EventEmitters,
  name: E,
  client: string,
  listener: (payload: Events[E]) => void,
): () => void {
  const emitter: Emitter<Events[E]> = emitters[name]
  return emitter.on((payload, origin) => {
    if (name === 'labels:changed' && origin === client) return
    listener(payload)
  })
}
