// One error type crosses every boundary (IPC, WebSocket, CLI) as { code, message }: never a stack trace.
export type ErrorCode =
  | 'BAD_INPUT' // the user's file, path or value is wrong; the message names it
  | 'NOT_FOUND'
  | 'TOO_NEW' // a project written by a newer Tagsmith
  | 'CONFLICT'
  | 'CANCELLED'
  | 'UNAVAILABLE' // a backend, binary or model that this machine lacks
  | 'INTERNAL'

export class TagsmithError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'TagsmithError'
  }
}

export function toWireError(err: unknown): { code: ErrorCode; message: string } {
  if (err instanceof TagsmithError) return { code: err.code, message: err.message }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 'INTERNAL', message }
}
