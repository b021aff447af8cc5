import { execFile } from 'node:child_process'
import path from 'node:path'

/** What a finished process left: its exit code (-1 when it died without one) and its output. */
export interface Run {
  code: number
  stdout: string
  stderr: string
}

export const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..')
export const bin = path.join(repoRoot, 'bin', 'tagsmith.mjs')

/** Runs Node with `args` in `cwd`; never rejects, so a test can assert on a failing exit code. */
export function node(args: string[], cwd = repoRoot): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err && typeof err.code === 'number' ? err.code : err ? -1 : 0
      resolve({ code, stdout, stderr })
    })
  })
}

/** Runs the `tagsmith` command as a user would, from the repository root. */
export const tagsmith = (...args: string[]): Promise<Run> => node([bin, ...args])
