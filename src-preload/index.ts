// The sandboxed preload: exposes `window.tagsmith` (the contract's TagsmithApi) and nothing else.
// Requests and events are checked against fixed allow-lists; the page never touches ipcRenderer.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron'
import { isEventName, isRequestName } from '../src-shared/names.ts'
import { imageUrl } from '../src-shared/image-url.ts'
import type { EventName, Events, Reply, RequestName, Requests, TagsmithApi, WireError } from './contract.ts'

const api: TagsmithApi = {
  async invoke<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (!isRequestName(name)) throw wireError('BAD_INPUT', `unknown request ${String(name)}`)
    const reply = (await ipcRenderer.invoke(name, input)) as Reply<Requests[K]['out']>
    if (reply.ok) return reply.result
    // A plain object: custom fields of an Error would not survive the context bridge.
    throw wireError(reply.error.code, reply.error.message)
  },

  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void {
    if (!isEventName(name)) throw wireError('BAD_INPUT', `unknown event ${String(name)}`)
    const forward = (_event: IpcRendererEvent, payload: Events[E]): void => listener(payload)
    ipcRenderer.on(name, forward)
    return () => {
      ipcRenderer.removeListener(name, forward)
    }
  },

  imageUrl,

  pathForFile(file: File): string | null {
    return webUtils.getPathForFile(file) || null
  },
}

function wireError(code: string, message: string): WireError {
  return { code, message }
}

contextBridge.exposeInMainWorld('tagsmith', api)
