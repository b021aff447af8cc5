// What the bridge rejects with. Kept apart from bridge.ts so tests can fake the bridge yet refuse a request
// exactly as the real one does.
import type { WireError } from '../src-preload/contract.ts'

/** What `invoke` rejects with: the service's { code, message } as a real Error. */
export class BridgeError extends Error implements WireError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'BridgeError'
  }
}

// Values rejected across Electron's context bridge arrive as plain { code, message } objects.
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof BridgeError) return err
  const { code, message } = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown }
  return new BridgeError(typeof code === 'string' ? code : 'INTERNAL', typeof message === 'string' ? message : String(err))
}

/**
 * Why `input` cannot be sent, or null if it can. Electron's IPC copies every payload with the
 * structured-clone algorithm, which refuses a Vue proxy, a function or a symbol; web mode asks the same so
 * such a payload fails there too instead of slipping through JSON.
 */
export function cloneRefusal(name: string, input: unknown): BridgeError | null {
  try {
    structuredClone(input)
    return null
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err)
    return new BridgeError('BAD_INPUT', `${name}: the request could not be sent: An object could not be cloned (${why})`)
  }
}
