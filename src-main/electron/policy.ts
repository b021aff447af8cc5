// The shell's security policy as plain data and pure checks, so tests can pin it without Electron.
import type { WebPreferences } from 'electron'
import { pathToFileURL } from 'node:url'
import { IMAGE_SCHEME } from './image-url.ts'

export { IMAGE_SCHEME, imageUrl } from './image-url.ts'

export function webPreferences(preload: string): WebPreferences {
  return {
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
  }
}

/** Same policy as the renderer's meta CSP; in development, Vite's hot-reload socket is allowed too. */
export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? ` ${new URL(devServerUrl).origin.replace(/^http/, 'ws')}` : ''
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${IMAGE_SCHEME}:`,
    `connect-src 'self'${dev}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
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

/** `tagsmith-image://thumb/42` -> { kind: 'thumb', id: 42 }; anything else -> null. */
export function parseImageUrl(url: string): { kind: 'thumb' | 'full'; id: number } | null {
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
  return Number.isSafeInteger(id) ? { kind, id } : null
}
