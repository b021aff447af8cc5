// The renderer's one door to the service. In Electron the preload provides `window.tagsmith`; in a web
// browser (`tagsmith serve`) the same interface runs over a WebSocket. Nothing else in the renderer
// knows which it got.
import type { RequestName, Requests, TagsmithApi } from '../src-preload/contract.ts'
import { BridgeError, cloneRefusal, toBridgeError } from './bridge-errors.ts'
import { type Link, SocketBridge } from './socket-bridge.ts'

export { BridgeError }
export type { Link, LinkState } from './socket-bridge.ts'

/** The service, and in web mode how the link to it stands (the preload's link never drops). */
export type RendererBridge = TagsmithApi & { readonly link?: Link }

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a web browser. */
    tagsmith?: TagsmithApi
  }
}

let bridge: RendererBridge | undefined

export function getBridge(): RendererBridge {
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
