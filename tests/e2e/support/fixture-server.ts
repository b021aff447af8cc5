import { spawn, type ChildProcess } from 'node:child_process'
import { execFile } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { test, type Page } from '@playwright/test'
import { attachWindow } from '../../desktop/harness/attach-window.ts'
import { launchDesktopApp } from '../../desktop/harness/desktop-app.ts'

export const repoRoot = path.resolve(import.meta.dirname, '../../..')
export const screenshotsDir = path.join(repoRoot, 'test-results', 'screenshots')
export const fixturesRoot = process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures')
const cli = path.join(repoRoot, 'bin', 'tagsmith.mjs')

export interface FixtureServer {
  /** Temp folder holding the copied dataset (train.csv, val.csv, clothes_dataset/) and the project. */
  dir: string
  project: string
  url: string
  /** what the status bar names: 'web', or 'electron' for the desktop app */
  mode: 'web' | 'electron'
  /** Prepares a new page to be this app's window (the desktop app only). */
  attach(page: Page): Promise<void>
  stop(): Promise<void>
}

/**
 * Which app the suites drive: web mode (`tagsmith serve`), or the built desktop app (main bundle, preload and
 * renderer, through tests/desktop/harness). The Playwright project named 'desktop' picks the second.
 */
let target: 'web' | 'desktop' = 'web'
let current: FixtureServer | undefined

/** The app of the running suite, for the page fixture (support/test.ts). */
export function currentApp(): FixtureServer | undefined {
  return current
}

/** Copies apparel-mini to a temp folder, imports it with the CLI and serves it; every path is private to the run. */
export async function serveApparelMini(): Promise<FixtureServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-e2e-'))
  await cp(path.join(fixturesRoot, 'apparel-mini'), dir, { recursive: true })
  return importAndServe(dir, [path.join(dir, 'train.csv'), path.join(dir, 'val.csv')])
}

/**
 * Imports `csvs` with the CLI into a project in `dir` (a temp folder the server owns from then on: stop()
 * removes it), runs `cliBeforeServe` commands on it (each `[command, ...options]`) and serves it on a free
 * port, with its own config folder.
 */
export async function importAndServe(dir: string, csvs: string[], opts: { cliBeforeServe?: string[][] } = {}): Promise<FixtureServer> {
  const env = { ...process.env, TAGSMITH_CONFIG_DIR: path.join(dir, 'config') }
  const { stdout } = await promisify(execFile)(process.execPath, [cli, 'import', ...csvs, '--json'], { env, cwd: dir })
  const { project } = JSON.parse(stdout) as { project: string }
  // Commands run on the project before the app opens it (`train` for a suite that needs a model but not the Train panel).
  for (const args of opts.cliBeforeServe ?? []) await promisify(execFile)(process.execPath, [cli, args[0] ?? '', project, ...args.slice(1)], { env, cwd: dir })
  if (target === 'desktop') return openInDesktopApp(dir, project, env)

  const child = spawn(process.execPath, [cli, 'serve', project, '--port', '0', '--json'], {
    env,
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await firstLine(child).then(
    (line) => (JSON.parse(line) as { url: string }).url,
    (err: unknown) => {
      throw new Error(`tagsmith serve did not start: ${String(err)}\n${stderr}`)
    },
  )
  return {
    dir,
    project,
    url,
    mode: 'web',
    attach: async () => {},
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Serves a dataset for every test of the file that calls it: started before them (and the screenshots
 * folder made), stopped after them. Returns the running server.
 */
export function serveForSuite(start: () => Promise<FixtureServer>): () => FixtureServer {
  let server: FixtureServer | undefined
  test.beforeAll(async () => {
    target = test.info().project.name === 'desktop' ? 'desktop' : 'web'
    server = current = await start()
    await mkdir(screenshotsDir, { recursive: true })
  })
  test.afterAll(async () => {
    current = undefined
    await server?.stop()
  })
  return () => {
    if (!server) throw new Error('the dataset server is not running (used outside a test?)')
    return server
  }
}

/** The desktop app started with the project on its command line, as a file manager's "Open with" does. */
async function openInDesktopApp(dir: string, project: string, env: NodeJS.ProcessEnv): Promise<FixtureServer> {
  const app = await launchDesktopApp({ args: [project], env: { ...env, TAGSMITH_STANDIN_USER_DATA: path.join(dir, 'user-data') } })
  return {
    dir,
    project,
    url: app.windowUrl,
    mode: 'electron',
    attach: (page) => attachWindow(page, app),
    async stop() {
      const code = await app.quit()
      await rm(dir, { recursive: true, force: true })
      if (code !== 0) throw new Error(`the desktop app exited with code ${code}\n${app.stderr()}`)
    },
  }
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    if (child.stdout === null) return reject(new Error('no stdout'))
    const lines = createInterface({ input: child.stdout })
    lines.once('line', (line) => {
      lines.close()
      resolve(line)
    })
    child.once('exit', (code) => reject(new Error(`exited with ${code}`)))
  })
}
