import type { ChildMessage, ParentMessage } from './protocol.ts'

// How a job's process is started and talked to. Core forks a Node child; the desktop app installs one that
// starts an Electron utility process instead (see run-job.ts: setJobLauncher).

export interface JobChildSpec {
  /** the worker module the child runs (worker.ts from sources, worker.js in a build) */
  entry: string
  /** options for the child's Node, e.g. the TypeScript loader */
  execArgv: string[]
  env: NodeJS.ProcessEnv
  /** the job kind, for process lists and messages */
  name: string
}

export interface JobExit {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface JobChildHandlers {
  message(msg: ChildMessage): void
  /** text the child wrote to stderr, in order */
  stderr(text: string): void
  /** the child is gone, and everything it sent has been delivered: no message or stderr text follows */
  close(exit: JobExit): void
  /** the child could not be started or reached */
  error(err: Error): void
}

export interface JobChild {
  /** rejects when the message cannot be sent (the child is gone, or the value cannot be cloned) */
  send(msg: ParentMessage): Promise<void>
  /** end the child at once: SIGKILL where there are signals */
  kill(): void
}

export type JobLauncher = (spec: JobChildSpec, on: JobChildHandlers) => JobChild
