// Runs a TypeScript child process (through tsx) and hands each line it prints to the test, which may
// SIGKILL it at any line or at any moment. Resolves when the process is gone, with how it ended.
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..')

export interface ChildEnd {
  /** The lines it printed, in order. */
  lines: string[]
  code: number | null
  signal: NodeJS.Signals | null
  /** The last few kB of its stderr, for failure messages. */
  stderr: string
  /** Whether we killed it (as opposed to it ending on its own). */
  killed: boolean
}

export interface ChildControl {
  /** SIGKILL now; harmless once the process has ended. */
  kill(): void
  /** Milliseconds since the child printed its first line (its "ready"). */
  sinceReady(): number
}

export function runChild(
  script: string,
  args: string[],
  onLine: (line: string, control: ChildControl) => void = () => {},
  env: NodeJS.ProcessEnv = {},
): Promise<ChildEnd> {
  return new Promise((done, fail) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const lines: string[] = []
    let stderr = ''
    let killed = false
    let readyAt = 0
    const control: ChildControl = {
      kill: () => {
        if (proc.exitCode !== null || proc.signalCode !== null) return
        killed = true
        proc.kill('SIGKILL')
      },
      sinceReady: () => (readyAt === 0 ? 0 : performance.now() - readyAt),
    }
    proc.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000)
    })
    createInterface({ input: proc.stdout }).on('line', (line) => {
      if (readyAt === 0) readyAt = performance.now()
      lines.push(line)
      onLine(line, control)
    })
    proc.on('error', fail)
    proc.on('close', (code, signal) => done({ lines, code, signal, stderr, killed }))
  })
}

/** Fails with the child's stderr unless it died by our SIGKILL or ended cleanly. */
export function expectKilledOrDone(end: ChildEnd, what: string): void {
  if (end.killed && end.signal === 'SIGKILL') return
  if (end.code === 0) return
  throw new Error(`${what} ended with code ${end.code} / signal ${end.signal} without being killed:\n${end.stderr}`)
}
