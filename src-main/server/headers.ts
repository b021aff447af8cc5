// Response headers for web mode: the same policy as the renderer's meta CSP, tightened to this port.
import type { ServerResponse } from 'node:http'

/** `sockets`: the ws:// or wss:// origins of this server (default: its loopback names). */
export function contentSecurityPolicy(port: number, sockets: readonly string[] = [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    `connect-src 'self' ${sockets.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

export function setSecurityHeaders(res: ServerResponse, port: number, sockets?: readonly string[]): void {
  res.setHeader('Content-Security-Policy', contentSecurityPolicy(port, sockets))
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('X-Frame-Options', 'DENY')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
}
