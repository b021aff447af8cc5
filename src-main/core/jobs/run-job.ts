import { createRequire } from 'node:module'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { TagsmithError } from '../errors.ts'
import { forkLauncher } from './fork-launcher.ts'
import type { JobChild, JobChildSpec, JobLauncher } from './launcher.ts'
import type { JobCounts, JobEvent, NoEvents } from './protocol.ts'
import type { JobEvents, JobInput, JobKind, JobOutput } from './registry.ts'

export type { JobCounts } from './protocol.ts'

export interface RunJobOptions<E extends object = NoEvents> {
  onProgress?: (p: JobCounts) => void
  onEvent?: (event: JobEvent<E>) => void
  signal?: AbortSignal
  /** after a cancel message, how long the child may take before it is killed (default 1000 ms) */
  killAfterMs?: number
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

/** TypeScript sources need tsx's loader in the child; a built app starts plain JavaScript. */
function execArgvFor(entry: string): string[] {
  if (!entry.endsWith('.ts')) return []
  const loader = createRequire(import.meta.url).resolve('tsx')
  return ['--import', pathToFileURL(loader).href]
}

const STDERR_TAIL = 4000

let launcher: JobLauncher = forkLauncher

/** How jobs' processes start from now on; null restores Node child processes. */
export function setJobLauncher(next: JobLauncher | null): void {
  launcher = next ?? forkLauncher
}

/**
 * What starting a child of `kind` on another entry than worker.ts takes (resident-job.ts): the launcher in
 * use, the child's spec, and the kind's module for its start messages.
 */
export function childOf(kind: JobKind, entryName: string): { launcher: JobLauncher; spec: JobChildSpec; module: string } {
  const entry = sourceOrBuilt(path.join(import.meta.dirname, entryName))
  return { launcher, spec: { entry, execArgv: execArgvFor(entry), env: process.env, name: kind }, module: kindModule(kind) }
}

/**
 * Run a job of a kind in a child process. Resolves with the job's result; rejects with its error
 * ({code, message}), with CANCELLED after `signal` aborts (the child gets a cancel message, then is
 * killed after `killAfterMs`), or with INTERNAL when the child dies. Never throws into the parent's
 * event loop: a crashing child is an error of this promise, not of the process.
 */
export function runJob<K extends JobKind>(kind: K, input: JobInput<K>, opts: RunJobOptions<JobEvents<K>> = {}): Promise<JobOutput<K>> {
  return start(kind, () => kindModule(kind), input, opts)
}

/** Run a job module that is no kind of the registry (an absolute path), as runJob does: test stand-ins. */
export function runJobModule<O, E extends object = Record<string, unknown>>(name: string, module: string, input: unknown, opts: RunJobOptions<E> = {}): Promise<O> {
  return start(name, () => module, input, opts)
}

function start<O, E extends object>(kind: string, moduleOf: () => string, input: unknown, opts: RunJobOptions<E>): Promise<O> {
  return new Promise<O>((resolve, reject) => {
    // A throw in here (unknown kind, missing worker) becomes this promise's rejection.
    const module = moduleOf()
    const entry = sourceOrBuilt(path.join(import.meta.dirname, 'worker'))
    if (opts.signal?.aborted) return reject(new TagsmithError('CANCELLED', `${kind} cancelled`))
    let stderr = ''
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
    const quietly = (): void => {} // the child may be gone already; its close reports that
    let child: JobChild
    try {
      child = launcher({ entry, execArgv: execArgvFor(entry), env: process.env, name: kind }, {
        message: (msg) => {
          if (msg.type === 'result' || msg.type === 'error') child.send({ type: 'ack' }).catch(quietly)
          if (settled) return
          if (msg.type === 'progress') opts.onProgress?.(msg.progress)
          else if (msg.type === 'event') opts.onEvent?.({ name: msg.name, data: msg.data } as JobEvent<E>)
          else if (msg.type === 'result') finish(() => resolve(msg.value as O))
          else if (msg.type === 'error') {
            const code = cancelled ? 'CANCELLED' : msg.error.code
            finish(() => reject(new TagsmithError(code, msg.error.message)))
          }
        },
        stderr: (text) => {
          stderr = (stderr + text).slice(-STDERR_TAIL)
        },
        error: (err) => finish(() => reject(new TagsmithError('INTERNAL', `${kind} job failed to run: ${err.message}`))),
        close: ({ code, signal }) => {
          if (killTimer) clearTimeout(killTimer)
          if (cancelled) return finish(() => reject(new TagsmithError('CANCELLED', `${kind} cancelled`)))
          const how = signal ? `signal ${signal}` : `exit code ${code}`
          const tail = stderr.trim().split('\n').slice(-5).join('\n')
          finish(() => reject(new TagsmithError('INTERNAL', `${kind} job crashed (${how})${tail ? `: ${tail}` : ''}`)))
        },
      })
    } catch (err) {
      return reject(new TagsmithError('INTERNAL', `cannot start ${kind} job: ${err instanceof Error ? err.message : String(err)}`))
    }
    const onAbort = (): void => {
      cancelled = true
      child.send({ type: 'cancel' }).catch(quietly)
      killTimer = setTimeout(() => child.kill(), opts.killAfterMs ?? 1000)
    }
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    child.send({ type: 'start', module, input }).catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err)
      child.kill() // it would wait for its input forever
      finish(() => reject(new TagsmithError('INTERNAL', `cannot send ${kind} job input: ${why}`)))
    })
  })
}
