import type { JobProgress } from '../../../src-preload/contract.ts'
import type { ErrorCode } from '../errors.ts'

// Messages between the parent and a job's child process.

/** How far a job is, as its child reports it; rate and time left are the parent's to work out (progress-meter.ts). */
export type JobCounts = Pick<JobProgress, 'phase' | 'done' | 'total'>

export type ParentMessage =
  | { type: 'start'; module: string; input: unknown }
  | { type: 'cancel' }
  // The parent has the job's result or error: the child may exit now. An Electron utility process cannot
  // tell when its last postMessage has left, and a message still on the way when it exits is dropped.
  | { type: 'ack' }

export type ChildMessage =
  | { type: 'progress'; progress: JobCounts }
  | { type: 'event'; name: string; data: unknown }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: { code: ErrorCode; message: string } }

/** The events of a kind that sends none besides progress (a kind's events map each name to its data's type). */
export type NoEvents = Record<never, never>

/** What a job module's `run` gets besides its input. It runs in the child; `signal` aborts on a cancel message. */
export interface JobContext<E extends object = NoEvents> {
  signal: AbortSignal
  progress(p: JobCounts): void
  emit<N extends keyof E & string>(name: N, data: E[N]): void
}

export type JobHandler<I, O, E extends object = NoEvents> = (input: I, ctx: JobContext<E>) => Promise<O>

/** One event as the parent receives it: its name, and its data typed by the name. */
export type JobEvent<E extends object> = { [N in keyof E & string]: { name: N; data: E[N] } }[keyof E & string]
