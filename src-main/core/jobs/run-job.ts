import { fork, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { TagsmithError } from '../errors.ts'
import type { ChildMessage, JobProgress, ParentMessage } from './protocol.ts'

export type { JobProgress } from './protocol.ts'

export interface RunJobOptions {
  onProgress?: (p: JobProgress) => void
  onEvent?: (name: string, data: unknown) => void
  signal?: AbortSignal
  /** after a cancel message, how long the child may take before SIGKILL (default 1000 ms) */
  killAfterMs?: number
  /** run this module's `run` export instead of the job kind's own (an absolute path) */
  module?: string
}

/** Job kinds live in kinds/<kind>.ts (or .js in a build). */
function kindModule(kind: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(kind)) throw new TagsmithError('BAD_INPUT', `bad job kind: ${kind}`)
  return sourceOrBuilt(path.join(import.meta.dirname, 'kinds', kind))
}

function sourceOrBuilt(base: string): string {
  for (const ext of ['.js', '.mjs', '.ts']) if (fs.existsSync(base + ext)) return base + ext
  throw new TagsmithError('INTERNAL', `no module at ${base}.{js,ts}`)
}

/** TypeScript sources need tsx's loader in the child; a built app forks plain JavaScript. */
function execArgvFor(entry: string): string[] {
  if (!entry.endsWith('.ts')) return []
  const loader = createRequire(import.meta.url).resolve('tsx')
  return ['--import', pathToFileURL(loader).href]
}

const STDERR_TAIL = 4000

/**
 * Run a job in a child process. Resolves with the job's result; rejects with its error
 * ({code, message}), with CANCELLED after `signal` aborts (the child gets a cancel message, then
 * SIGKILL after `killAfterMs`), or with INTERNAL when the child dies. Never throws into the parent's
 * event loop: a crashing child is an error of this promise, not of the process.
 */
export function runJob<O = unknown>(kind: string, input: unknown, opts: RunJobOptions = {}): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    // A throw in here (unknown kind, missing worker) becomes this promise's rejection.
    const module = opts.module ?? kindModule(kind)
    const entry = sourceOrBuilt(path.join(import.meta.dirname, 'worker'))
    if (opts.signal?.aborted) return reject(new TagsmithError('CANCELLED', `${kind} cancelled`))
    let child: ChildProcess
    try {
      child = fork(entry, [], {
        execArgv: execArgvFor(entry),
        serialization: 'advanced',
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        // Electron's binary is a Node when asked to be.
        env: process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
      })
    } catch (err) {
      return reject(new TagsmithError('INTERNAL', `cannot start ${kind} job: ${err instanceof Error ? err.message : String(err)}`))
    }
    let stderr = ''
    child.stdout?.resume() // libraries may print; never let a full pipe block the child
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString('utf8')).slice(-STDERR_TAIL)
    })
    let settled = false
    let cancelled = false
    let killTimer: NodeJS.Timeout | undefined
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      if (killTimer) clearTimeout(killTimer)
      opts.signal?.removeEventListener('abort', onAbort)
      fn()
    }
    const onAbort = (): void => {
      cancelled = true
      const msg: ParentMessage = { type: 'cancel' }
      if (child.connected) child.send(msg, (err) => void err)
      killTimer = setTimeout(() => child.kill('SIGKILL'), opts.killAfterMs ?? 1000)
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })

    child.on('message', (msg: ChildMessage) => {
      if (settled) return
      if (msg.type === 'progress') opts.onProgress?.(msg.progress)
      else if (msg.type === 'event') opts.onEvent?.(msg.name, msg.data)
      else if (msg.type === 'result') finish(() => resolve(msg.value as O))
      else if (msg.type === 'error') {
        const code = cancelled ? 'CANCELLED' : msg.error.code
        finish(() => reject(new TagsmithError(code, msg.error.message)))
      }
    })
    child.on('error', (err) => {
      finish(() => reject(new TagsmithError('INTERNAL', `${kind} job failed to run: ${err.message}`)))
    })
    // 'close' comes after the IPC channel has delivered every message, unlike 'exit'.
    child.on('close', (code, sig) => {
      if (killTimer) clearTimeout(killTimer)
      if (cancelled) return finish(() => reject(new TagsmithError('CANCELLED', `${kind} cancelled`)))
      const how = sig ? `signal ${sig}` : `exit code ${code}`
      const tail = stderr.trim().split('\n').slice(-5).join('\n')
      finish(() => reject(new TagsmithError('INTERNAL', `${kind} job crashed (${how})${tail ? `: ${tail}` : ''}`)))
    })
    const start: ParentMessage = { type: 'start', module, input }
    child.send(start, (err) => {
      if (err) finish(() => reject(new TagsmithError('INTERNAL', `cannot send ${kind} job input: ${err.message}`)))
    })
  })
}
