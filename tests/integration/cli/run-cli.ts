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

/**
 * The same command run inside this process, through the CLI's own entry: no Node start per call, so a test
 * can try a dozen forms quickly. Keep one real process start per test file for what only a process shows.
 */
export async function tagsmithInProcess(...argv: string[]): Promise<Run> {
  const { main } = await import('../../../src-main/cli/index.ts')
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false })
  return { code, stdout: out.join(''), stderr: err.join('') }
}
