// Runs the built sandboxed preload (out/preload/index.cjs) in the page before the page's own scripts, with
// the parts of Electron a sandboxed preload can reach: `require('electron')` gives contextBridge,
// ipcRenderer and webUtils, and nothing else can be required. Values that cross the context bridge or IPC go
// through the structured-clone algorithm, so a Vue proxy, a class instance or a symbol fails here as it
// does in Electron. The harness calls this function with `function (require, module, exports) { <preload> }`;
// the page reaches the main process through one binding the harness exposes.
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by the script the harness composes
function installElectronPreloadWorld(runPreload) {
  'use strict'
  const INVOKE = '__tagsmithStandInInvoke'
  const DELIVER = '__tagsmithStandInDeliver'

  function cloned(value) {
    try {
      return structuredClone(value)
    } catch {
      throw new Error('An object could not be cloned.')
    }
  }

  // ---- ipcRenderer: invoke through the harness; events delivered by it ----
  const listeners = new Map()
  const ipcRenderer = {
    invoke(channel, ...args) {
      let payload
      try {
        payload = cloned(args)
      } catch (err) {
        return Promise.reject(err)
      }
      return window[INVOKE](channel, payload).then((reply) => {
        if (reply.ok) return reply.value
        throw new Error(`Error invoking remote method '${channel}': ${reply.error}`)
      })
    },
    on(channel, listener) {
      if (!listeners.has(channel)) listeners.set(channel, new Set())
      listeners.get(channel).add(listener)
      return ipcRenderer
    },
    removeListener(channel, listener) {
      listeners.get(channel)?.delete(listener)
      return ipcRenderer
    },
  }
  ipcRenderer.off = ipcRenderer.removeListener
  Object.defineProperty(window, DELIVER, {
    value(channel, args) {
      for (const listener of [...(listeners.get(channel) ?? [])])
        listener({ sender: ipcRenderer }, ...cloned(args))
    },
  })

  // ---- contextBridge: what the preload exposes reaches the page as copies and function proxies ----
  function toPage(value) {
    if (typeof value === 'function') return (...args) => toPage(value(...args.map(fromPage)))
    if (value instanceof Promise) return value.then(toPage, (err) => Promise.reject(toPage(err)))
    if (value instanceof Error) return new Error(value.message)
    if (value !== null && typeof value === 'object') {
      if (Object.getPrototypeOf(value) !== Object.prototype) return cloned(value)
      return Object.freeze(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPage(v)])))
    }
    return value
  }
  function fromPage(value) {
    if (typeof value === 'function') return (...args) => value(...args.map(toPage))
    return cloned(value)
  }
  const contextBridge = {
    exposeInMainWorld(key, api) {
      if (key in window)
        throw new Error('Cannot bind an API on top of an existing property on the window object')
      Object.defineProperty(window, key, { value: toPage(api), enumerable: true })
    },
  }

  const webUtils = {
    // A browser page cannot learn where a dropped file lives; Electron answers the path.
    getPathForFile() {
      return ''
    },
  }

  const electron = Object.freeze({ contextBridge, ipcRenderer, webUtils })
  function sandboxedRequire(name) {
    if (name === 'electron') return electron
    throw new Error(`module not found: ${name} (a sandboxed preload can require only 'electron')`)
  }
  const module = { exports: {} }
  runPreload(sandboxedRequire, module, module.exports)
}
