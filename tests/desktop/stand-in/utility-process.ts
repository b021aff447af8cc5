// Electron's utilityProcess where there is no Electron binary: the surface of Electron 39's
// UtilityProcess over a Node child process. The child's module gets process.parentPort and no
// process.send (see utility-process-child.mjs). Where Electron's behaviour is easy to get wrong, this
// copies it:
// - pid is undefined until 'spawn' and again after 'exit'; stdout and stderr (with stdio 'pipe') are
//   streams from the start, and after 'exit' lose their listeners and read as null;
// - 'exit' carries one number: the exit code, the signal's number for a process killed by a signal,
//   and 0 after kill();
// - 'exit' may come before the child's last messages and stderr text: those are dropped;
// - postMessage clones (structured clone) and throws on what cannot be cloned; after 'exit' it does
//   nothing.
import { fork as forkNode, type ChildProcess, type Serializable } from 'node:child_process'
import { EventEmitter } from 'node:events'
import { constants } from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import type { ForkOptions, UtilityProcess } from 'electron'

type Stdio = 'pipe' | 'ignore' | 'inherit'

const childBootstrap = path.join(import.meta.dirname, 'utility-process-child.mjs')

/** stdout and stderr modes, refused as Electron refuses them */
function stdioModes(stdio: ForkOptions['stdio']): [Stdio, Stdio] {
  if (stdio === undefined) return ['inherit', 'inherit']
  if (typeof stdio === 'string') {
    if (stdio !== 'pipe' && stdio !== 'ignore' && stdio !== 'inherit')
      throw new Error('stdio must be of the following values: inherit, pipe, ignore')
    return [stdio, stdio]
  }
  const [stdin, stdout, stderr] = stdio
  if (stdout === undefined || stderr === undefined)
    throw new Error('configuration missing for stdin, stdout or stderr.')
  if (stdin !== 'ignore') throw new Error('stdin value other than ignore is not supported.')
  return [stdout, stderr]
}

class StandInUtilityProcess extends EventEmitter implements UtilityProcess {
  readonly #child: ChildProcess
  #stdout: PassThrough | null
  #stderr: PassThrough | null
  #spawned = false
  #exited = false
  #killed = false

  constructor(modulePath: string, args: string[], options: ForkOptions) {
    super()
    const [stdout, stderr] = stdioModes(options.stdio)
    this.#stdout = stdout === 'pipe' ? new PassThrough() : null
    this.#stderr = stderr === 'pipe' ? new PassThrough() : null
    this.#child = forkNode(childBootstrap, [modulePath, ...args], {
      // Electron types env as an empty interface; it holds string values, as process.env does.
      env: (options.env as NodeJS.ProcessEnv | undefined) ?? process.env,
      execArgv: options.execArgv ?? [],
      cwd: options.cwd,
      serialization: 'advanced',
      stdio: ['ignore', stdout, stderr, 'ipc'],
    })
    if (this.#stdout) this.#child.stdout?.pipe(this.#stdout)
    if (this.#stderr) this.#child.stderr?.pipe(this.#stderr)
    this.#child.on('spawn', () => {
      this.#spawned = true
      this.emit('spawn')
    })
    this.#child.on('message', (message: unknown) => {
      if (!this.#exited) this.emit('message', message)
    })
    // Node's 'exit', not 'close': Electron reports the end as it sees it, with no wait for the pipes.
    this.#child.on('exit', (code, signal) => this.#exit(code, signal))
  }

  #exit(code: number | null, signal: NodeJS.Signals | null): void {
    this.#exited = true
    let exitCode = code ?? (signal ? constants.signals[signal] : 0)
    if (this.#killed && (signal === 'SIGTERM' || signal === 'SIGKILL')) exitCode = 0
    try {
      this.emit('exit', exitCode)
    } finally {
      this.#stdout?.removeAllListeners()
      this.#stderr?.removeAllListeners()
      this.#stdout = null
      this.#stderr = null
    }
  }

  get pid(): number | undefined {
    return this.#spawned && !this.#exited ? this.#child.pid : undefined
  }

  get stdout(): NodeJS.ReadableStream | null {
    return this.#stdout
  }

  get stderr(): NodeJS.ReadableStream | null {
    return this.#stderr
  }

  postMessage(message: unknown, transfer?: unknown[]): void {
    if (transfer?.length) throw new Error('the utilityProcess stand-in transfers no MessagePortMain')
    if (this.#exited) return
    const copy: unknown = structuredClone(message)
    this.#child.send(copy as Serializable, (err) => void err)
  }

  /** SIGTERM, as Electron does on POSIX */
  kill(): boolean {
    if (this.pid === undefined) return false
    this.#killed = this.#child.kill('SIGTERM')
    return this.#killed
  }
}

function fork(modulePath: string, args?: string[], options?: ForkOptions): UtilityProcess {
  if (!modulePath) throw new Error('Missing UtilityProcess entry script.')
  return new StandInUtilityProcess(modulePath, args ?? [], options ?? {})
}

export const utilityProcess = { fork }
