import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { BrowserWindowConstructorOptions } from 'electron'
import { isTrustedUiUrl, newMainWindow, parseImageUrl, respondWithCsp } from '../../../src-main/electron/policy.ts'
import { HARDENED_WEB_PREFERENCES } from '../../hardened-web-preferences.ts'

const index = join(import.meta.dirname, 'app', 'out', 'renderer', 'index.html')
const indexUrl = pathToFileURL(index).href

/** Stands in for Electron's BrowserWindow: records the options it was built with. */
class BrowserWindow {
  constructor(readonly options: BrowserWindowConstructorOptions) {}
}

/** The response headers the session would send, with an existing header kept. */
function headersFor(devServerUrl?: string): Record<string, string | string[]> {
  let sent: Record<string, string | string[]> = {}
  respondWithCsp({ responseHeaders: { 'Content-Type': ['text/html'] } }, ({ responseHeaders }) => (sent = responseHeaders), devServerUrl)
  return sent
}

function directives(headers: Record<string, string | string[]>): Record<string, string[]> {
  const csp = String(headers['Content-Security-Policy'])
  return Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0] ?? '', d.split(' ').slice(1)]))
}

describe('the Electron security policy', () => {
  it('runs the UI isolated, sandboxed, without Node and without webviews', () => {
    const win = newMainWindow(BrowserWindow, '/app/preload.cjs')
    expect(win.options.show).toBe(false)
    expect(win.options.webPreferences).toMatchObject({ preload: '/app/preload.cjs', ...HARDENED_WEB_PREFERENCES, navigateOnDragDrop: false })
  })

  it('sends a CSP without inline or eval scripts that allows only our image scheme', () => {
    const headers = headersFor()
    expect(headers['Content-Type']).toEqual(['text/html'])
    expect(headers['X-Content-Type-Options']).toEqual(['nosniff'])
    const csp = directives(headers)
    expect(csp['default-src']).toEqual(["'self'"])
    expect(csp['script-src']).toEqual(["'self'"])
    expect(csp['object-src']).toEqual(["'none'"])
    expect(csp['base-uri']).toEqual(["'none'"])
    expect(csp['frame-ancestors']).toEqual(["'none'"])
    expect(csp['img-src']).toEqual(["'self'", 'data:', 'blob:', 'tagsmith-image:'])
    expect(csp['connect-src']).toEqual(["'self'"])
    expect(String(headers['Content-Security-Policy'])).not.toMatch(/unsafe-eval|https?:|\*/)
  })

  it('in development, differs only by allowing the dev server socket', () => {
    const production = directives(headersFor())
    const development = directives(headersFor('http://localhost:5173/'))
    expect(development).toEqual({ ...production, 'connect-src': ["'self'", 'ws://localhost:5173'] })
  })

  it('trusts only our own index.html as a request sender', () => {
    expect(isTrustedUiUrl(indexUrl, index)).toBe(true)
    expect(isTrustedUiUrl(`${indexUrl}#/grid?label=red`, index)).toBe(true)
    expect(isTrustedUiUrl(pathToFileURL(join(index, '..', 'other.html')).href, index)).toBe(false)
    expect(isTrustedUiUrl('file:///etc/passwd', index)).toBe(false)
    expect(isTrustedUiUrl('https://example.com/', index)).toBe(false)
    expect(isTrustedUiUrl('about:blank', index)).toBe(false)
    expect(isTrustedUiUrl('', index)).toBe(false)
    // In development only the dev server's origin is ours; file pages are not.
    expect(isTrustedUiUrl('http://localhost:5173/index.html', index, 'http://localhost:5173')).toBe(true)
    expect(isTrustedUiUrl('http://localhost:5174/', index, 'http://localhost:5173')).toBe(false)
    expect(isTrustedUiUrl(indexUrl, index, 'http://localhost:5173')).toBe(false)
  })

  it('reads image addresses as a kind, an id and an optional content version, nothing else', () => {
    expect(parseImageUrl('tagsmith-image://thumb/42')).toEqual({ kind: 'thumb', id: 42, hash8: null })
    expect(parseImageUrl('tagsmith-image://full/7')).toEqual({ kind: 'full', id: 7, hash8: null })
    expect(parseImageUrl('tagsmith-image://thumb/42?v=0123abcd')).toEqual({ kind: 'thumb', id: 42, hash8: '0123abcd' })
    for (const bad of [
      'tagsmith-image://thumb/0',
      'tagsmith-image://thumb/-1',
      'tagsmith-image://thumb/1.5',
      'tagsmith-image://thumb/../../etc/passwd',
      'tagsmith-image://thumb/%2e%2e%2fsecret',
      'tagsmith-image://file/1',
      'tagsmith-image://thumb/99999999999999999999',
      'tagsmith-image://thumb/1?v=0123ABCD',
      'tagsmith-image://thumb/1?v=0123abc',
      'tagsmith-image://thumb/1?v=0123abcd&x=1',
      'tagsmith-image://thumb/1?path=/etc/passwd',
      'file:///thumb/1',
      'not a url',
    ]) {
      expect(parseImageUrl(bad), bad).toBeNull()
    }
  })
})
