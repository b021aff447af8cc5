// `tagsmith serve --store S` as a real child process, for trials that stop it gently, kill it outright, or
// run several on one database.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'

const repoRoot = resolve(import.meta.dirname, '..', '..', '..')

export interface ServeProcess {
  port: number
  child: ChildProcess
  /** Resolves with the exit code, or the signal's name when a signal ended it. */
  exited: Promise<number | string | null>
  /** What the server said on stderr so far. */
  stderr(): string
  /** SIGKILL: the process gets no chance to finish anything. */
  kill(): Promise<number | string | null>
  /** SIGTERM, as Ctrl+C would; waits for the exit. */
  stop(): Promise<number | string | null>
}

/** Starts a server on a free loopback port; resolves once it printed its address (within `timeoutMs`). */
export function startServe(store: string, workDir: string, timeoutMs = 60_000): Promise<ServeProcess> {
  const configDir = join(workDir, `config-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`)
  mkdirSync(configDir, { recursive: true })
  // The UI folder need not exist: the trials speak only WebSocket.
  const args = [join(repoRoot, 'bin', 'tagsmith.mjs'), 'serve', '--store', store, '--port', '0', '--json', '--ui', join(workDir, 'no-ui')]
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TAGSMITH_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<number | string | null>((done) => child.once('exit', (code, signal) => done(code ?? signal)))
  const end = (signal: NodeJS.Signals) => (): Promise<number | string | null> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal)
    return exited
  }
  return new Promise((resolveServe, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`tagsmith serve printed no address within ${timeoutMs} ms: ${stderr}`))
    }, timeoutMs)
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      if (stdout.includes('\n')) return
      stdout += chunk.toString()
      const line = stdout.split('\n')[0]
      if (!stdout.includes('\n') || line === undefined) return
      clearTimeout(timer)
      const { port } = JSON.parse(line) as { port: number }
      resolveServe({ port, child, exited, stderr: () => stderr, kill: end('SIGKILL'), stop: end('SIGTERM') })
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`tagsmith serve exited (${code}) before printing its address: ${stderr.trim()}`))
    })
  })
}
