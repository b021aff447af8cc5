// The shell's security policy as plain data and pure checks, so tests can pin it without Electron.
import type { BrowserWindowConstructorOptions } from 'electron'
import { pathToFileURL } from 'node:url'
import { IMAGE_SCHEME } from '../../src-shared/image-url.ts'

export { IMAGE_SCHEME, imageUrl } from '../../src-shared/image-url.ts'

/** The constructor this module needs, so tests can pass a recorder instead of Electron's class. */
export type WindowClass<W> = new (options: BrowserWindowConstructorOptions) => W

/**
 * The main window's options. The literal object sits in the `new BrowserWindow(...)` call itself so
 * static checkers (electronegativity) can read every flag.
 */
export function newMainWindow<W>(BrowserWindow: WindowClass<W>, preload: string): W {
  return new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    show: false,
    title: 'Tagsmith',
    backgroundColor: '#1e1f22',
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A dropped file is handed to the UI (which asks for its path), never opened as a page.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  })
}

type Headers = Record<string, string | string[]>

/**
 * Adds the CSP to every response: the renderer's meta policy, sent as a header too. In development,
 * Vite's hot-reload socket is allowed as well. (The production policy is a literal, for static checkers.)
 */
export function respondWithCsp(
  details: { responseHeaders?: Headers },
  respond: (response: { responseHeaders: Headers }) => void,
  devServerUrl?: string,
): void {
  if (devServerUrl) {
    respond({ responseHeaders: { ...details.responseHeaders, ...developmentHeaders(devServerUrl) } })
    return
  }
  respond({
    responseHeaders: {
      ...details.responseHeaders,
      'Content-Security-Policy': [
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: tagsmith-image:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      ],
      'X-Content-Type-Options': ['nosniff'],
    },
  })
}

function developmentHeaders(devServerUrl: string): Headers {
  const socket = new URL(devServerUrl).origin.replace(/^http/, 'ws')
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${IMAGE_SCHEME}:`,
    `connect-src 'self' ${socket}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return { 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] }
}

/**
 * True only for our own UI: the built index.html (any query or hash) or, in development, a page of
 * electron-vite's dev server. Everything else (another file, a remote page, about:blank) is refused.
 */
export function isTrustedUiUrl(url: string, rendererIndex: string, devServerUrl?: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (devServerUrl) return parsed.origin === new URL(devServerUrl).origin
  if (parsed.protocol !== 'file:') return false
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}` === pathToFileURL(rendererIndex).href
}

/**
 * `tagsmith-image://thumb/42?v=0123abcd` -> { kind: 'thumb', id: 42, hash8: '0123abcd' }; the `v` part is
 * optional (hash8 null); anything else -> null.
 */
export function parseImageUrl(url: string): { kind: 'thumb' | 'full'; id: number; hash8: string | null } | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  if (parsed.protocol !== `${IMAGE_SCHEME}:`) return null
  const kind = parsed.hostname
  if (kind !== 'thumb' && kind !== 'full') return null
  const match = /^\/([1-9][0-9]{0,15})$/.exec(parsed.pathname)
  const id = match?.[1] ? Number(match[1]) : NaN
  const version = /^(?:\?v=([0-9a-f]{8}))?$/.exec(parsed.search)
  if (!version || !Number.isSafeInteger(id)) return null
  return { kind, id, hash8: version[1] ?? null }
}
