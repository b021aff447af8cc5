import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test'
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, symlinkSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

// The desktop shell, end to end: the hardened window, the preload's API, IPC validation, the image
// protocol and the blocked escape routes. Runs wherever an Electron binary and a display exist.

const repoRoot = path.resolve(import.meta.dirname, '../..')
const fixturesRoot = process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures')

/** Why this machine cannot run the smoke test, or null when it can. */
function missingPrerequisite(): string | null {
  let binary: unknown
  try {
    binary = createRequire(import.meta.url)('electron')
  } catch (err) {
    return `no Electron binary on this machine (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return 'no Electron binary on this machine'
  if (!existsSync(path.join(repoRoot, 'out', 'main', 'index.js'))) return 'the app is not built: run `npm run build` first'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'no display: run under xvfb-run'
  }
  return null
}

const missing = missingPrerequisite()
// The reason shows in every reporter's skip annotation; print it too, so a plain run says why.
if (missing) console.log(`electron-smoke: skipped: ${missing}`)
test.skip(missing !== null, missing ?? '')
test.describe.configure({ mode: 'serial' })

// The page's globals as this Node-side file sees them (it has no DOM types).
interface PageGlobals {
  tagsmith: {
    invoke(name: string, input: unknown): Promise<unknown>
    imageUrl(id: number, kind: 'thumb' | 'full'): string
  }
  location: { href: string }
  open(url: string): unknown
  Notification: { requestPermission(): Promise<string> }
  Image: new () => { src: string; naturalWidth: number; decode(): Promise<void> }
}

let dir: string
let project: string
let app: ElectronApplication
let page: Page

test.beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-electron-'))
  const apparel = path.join(fixturesRoot, 'apparel-mini')
  const lines = readFileSync(path.join(apparel, 'train.csv'), 'utf8').split('\n')
  writeFileSync(path.join(dir, 'train.csv'), `${lines.slice(0, 9).join('\n')}\n`)
  symlinkSync(path.join(apparel, 'clothes_dataset'), path.join(dir, 'clothes_dataset'), 'dir')
  project = path.join(dir, 'smoke.tagsmith')
  await promisify(execFile)(process.execPath, [path.join(repoRoot, 'bin', 'tagsmith.mjs'), 'import', path.join(dir, 'train.csv'), '--project', project])
  app = await electron.launch({ args: [repoRoot], env: { ...process.env, TAGSMITH_CONFIG_DIR: path.join(dir, 'config') } })
  page = await app.firstWindow()
  await page.waitForFunction(() => 'tagsmith' in globalThis)
})

test.afterAll(async () => {
  await app?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

test('the window is isolated from the preload and has no Node', async () => {
  const globals = await page.evaluate(() => {
    const g = globalThis as unknown as Record<string, unknown>
    const api = g.tagsmith as Record<string, unknown>
    return {
      require: typeof g.require,
      process: typeof g.process,
      module: typeof g.module,
      api: Object.keys(api).sort(),
      // Across the context bridge the page sees a native proxy, never the preload's own function.
      invoke: Function.prototype.toString.call(api.invoke).includes('[native code]'),
    }
  })
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', api: ['imageUrl', 'invoke', 'on', 'pathForFile'], invoke: true })
  // The renderer process itself is sandboxed: every renderer of the app is (app.enableSandbox()).
  const sandboxed = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().filter((m) => m.type === 'Tab').map((m) => m.sandboxed))
  expect(sandboxed.every((flag) => flag !== false)).toBe(true)
})

test('the CSP forbids eval', async () => {
  const evalResult = await page.evaluate(() => {
    try {
      return String((0, eval)('1 + 1'))
    } catch (err) {
      return (err as Error).name
    }
  })
  expect(evalResult).toBe('EvalError')
})

test('requests go through the allow-list and the service validates them', async () => {
  const results = await page.evaluate(async () => {
    const { tagsmith } = globalThis as unknown as PageGlobals
    const failure = (p: Promise<unknown>): Promise<unknown> => p.then(() => 'resolved', (err: unknown) => err)
    return {
      info: await tagsmith.invoke('app:info', {}),
      unknown: await failure(tagsmith.invoke('fs:readFile', { path: '/etc/passwd' })),
      malformed: await failure(tagsmith.invoke('labels:set', { changes: 'everything' })),
    }
  })
  expect(results.info).toMatchObject({ mode: 'electron' })
  expect(results.unknown).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('unknown request') })
  expect(results.malformed).toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('labels:set') })
})

test('a project opens and its images load through tagsmith-image://', async () => {
  const result = await page.evaluate(async (file) => {
    const { tagsmith, Image } = globalThis as unknown as PageGlobals
    const info = (await tagsmith.invoke('project:open', { file })) as { imageCount: number }
    const img = new Image()
    img.src = tagsmith.imageUrl(1, 'thumb')
    await img.decode()
    return { count: info.imageCount, url: img.src, width: img.naturalWidth }
  }, project)
  expect(result).toEqual({ count: 8, url: 'tagsmith-image://thumb/1', width: 256 })
})

test('new windows, navigation and permission requests are refused', async () => {
  const navigation = app.evaluate(
    ({ BrowserWindow }) =>
      new Promise<boolean>((resolve) => {
        BrowserWindow.getAllWindows()[0]?.webContents.once('will-navigate', (event) => resolve(event.defaultPrevented))
      }),
  )
  const before = page.url()
  const outcome = await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals
    const opened = g.open('https://example.com/')
    const permission = await g.Notification.requestPermission()
    g.location.href = 'https://example.com/'
    return { opened: opened === null, permission }
  })
  expect(outcome).toEqual({ opened: true, permission: 'denied' })
  expect(await navigation).toBe(true)
  expect(await page.evaluate(() => 'tagsmith' in globalThis)).toBe(true)
  expect(page.url()).toBe(before)
  expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1)
})
