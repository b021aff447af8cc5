import type { ErrorCode } from '../errors.ts'

// Messages between the parent and a job's child process.

export interface JobProgress {
  phase: string
  done: number
  total: number
  /** items per second */
  rate?: number
  etaSeconds?: number | null
}

export type ParentMessage =
  | { type: 'start'; module: string; input: unknown }
  | { type: 'cancel' }
  // The parent has the job's result or error: the child may exit now. An Electron utility process cannot
  // tell when its last postMessage has left, and a message still on the way when it exits is dropped.
  | { type: 'ack' }

export type ChildMessage =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'event'; name: string; data: unknown }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: { code: ErrorCode; message: string } }

/** What a job module exports as `run`. It runs in the child; `signal` aborts on a cancel message. */
export interface JobContext {
  signal: AbortSignal
  progress(p: JobProgress): void
  emit(name: string, data: unknown): void
}

export type JobHandler<I, O> = (input: I, ctx: JobContext) => Promise<O>
