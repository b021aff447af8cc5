import type { WireError } from '../../src-preload/contract.ts'

// Errors from the service arrive as { code, message }; anything else (a dropped socket, a bug) is shown
// the same way so the UI has one error shape to render.
export function toWireError(err: unknown): WireError {
  if (typeof err === 'object' && err !== null) {
    const { code, message } = err as { code?: unknown; message?: unknown }
    if (typeof code === 'string' && typeof message === 'string') return { code, message }
    if (typeof message === 'string') return { code: 'INTERNAL', message }
  }
  return { code: 'INTERNAL', message: String(err) }
}
