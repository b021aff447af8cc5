// The service's event streams, one emitter each.
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
