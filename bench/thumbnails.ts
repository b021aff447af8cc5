// Thumbnails after a jump deep into an ~11k-image project (bench/dataset.ts's copy of the apparel fixture,
// whose copies share content, so 1,167 distinct thumbnails), in web mode in Debian Chromium as bench/ui.ts
// drives it. A jump sets the grid's scroll position to row ~9,000 (a different row each time, no two in
// the same screen); timed from there until every tile on screen shows its decoded thumbnail. Three cases,
// each in a fresh browser (nothing in its cache):
//  - fresh: an empty thumbnail cache and no background job (each tile's thumbnail made on request);
//  - during: the background job started at open and still running (requests made on demand meanwhile);
//  - after: the background job finished, every thumbnail cached.
// Also: the job's rate, the quick check that finds nothing missing, and the bytes of the rows and tints.
// Opt-in (`npm run bench -- thumbnails`): it makes the fixture's thumbnails twice.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import { Project } from '../src-main/core/dataset/project.ts'
import { missingThumbnails } from '../src-main/core/images/thumbnail-check.ts'
import { Service } from '../src-main/core/service/index.ts'
import { startServer } from '../src-main/server/server.ts'
import { buildLargeDataset } from './dataset.ts'

export const optIn = true

const root = resolve(import.meta.dirname, '..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const LAUNCH_ARGS = ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
const VIEWPORT = { width: 1366, height: 768 }
const JUMPS = 8
const FIRST_ROW = 9000
/** Rows between jumps: more than a screen, and JUMPS of them stay within one copy of the fixture. */
const JUMP_STRIDE = 120

// A page script (plain JavaScript, run in the browser): scroll the grid so `row` is at the top, then wait
// until the tiles covering the screen have all decoded their thumbnails. Answers the milliseconds taken.
const JUMP_SCRIPT = `async ({ row, total, minTiles }) => {
  const grid = document.querySelector('[data-testid="grid"]')
  const frame = () => new Promise((r) => requestAnimationFrame(r))
  const view = grid.getBoundingClientRect()
  const started = performance.now()
  grid.scrollTop = (grid.scrollHeight * row) / total
  for (;;) {
    await frame()
    const shown = [...grid.querySelectorAll('[data-testid="tile"]')].filter((tile) => {
      const r = tile.getBoundingClientRect()
      return r.bottom > view.top + r.height / 2 && r.top < view.bottom - r.height / 2
    })
    const done = shown.filter((tile) => {
      const img = tile.querySelector('img')
      return img !== null && img.complete && img.naturalWidth > 0
    })
    if (shown.length >= minTiles && done.length === shown.length) return { ms: performance.now() - started, tiles: shown.length }
    if (performance.now() - started > 60000) throw new Error('thumbnails did not show within 60 s')
  }
}`

const TILES_ON_SCREEN = `(() => {
  const grid = document.querySelector('[data-testid="grid"]')
  const view = grid.getBoundingClientRect()
  return [...grid.querySelectorAll('[data-testid="tile"]')].filter((tile) => {
    const r = tile.getBoundingClientRect()
    return r.bottom > view.top + r.height / 2 && r.top < view.bottom - r.height / 2
  }).length
})()`

interface Jumps {
  p50: number
  p95: number
  runsMs: number[]
  tiles: number
}

export async function bench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-bench-thumbs-'))
  let browser: Browser | null = null
  try {
    const { project } = await Project.importCsvs({ csvs: buildLargeDataset(dir) })
    const file = project.file
    const images = project.images().length
    project.close()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })

    const fresh = await withServer(file, dir, false, async (url) => jumps(browser as Browser, url, images))

    rmSync(`${file}.cache`, { recursive: true, force: true })
    const background = await withServer(file, dir, true, async (url, service) => {
      const started = performance.now()
      const during = await jumps(browser as Browser, url, images)
      const stillRunning = service.thumbnails.jobId !== null
      const outcome = await service.thumbnails.last
      const jobSeconds = (performance.now() - started) / 1000
      const after = await jumps(browser as Browser, url, images)
      const rowsBytes = Buffer.byteLength(JSON.stringify(await service.request('images:list', {})))
      const tintsBytes = Buffer.byteLength(JSON.stringify(await service.request('images:tints', {})))
      return { during: { ...during, jobStillRunning: stillRunning }, after, outcome, jobSeconds, rowsBytes, tintsBytes }
    })
    if (!background.outcome.started || background.outcome.result === null) throw new Error('the background job did not finish')

    const opened = Project.open(file)
    const items = opened
      .images()
      .filter((image) => image.hash !== null && image.status === 'ok')
      .map((image) => ({ id: image.id, path: opened.imagePath(image.id) ?? '', hash: image.hash ?? '' }))
    opened.close()
    const checks: number[] = []
    for (let i = 0; i < 5; i++) {
      const t = performance.now()
      const missing = await missingThumbnails(items, `${file}.cache`)
      checks.push(performance.now() - t)
      if (missing.length > 0) throw new Error(`${missing.length} thumbnails still missing after the job`)
    }

    const { result, missing } = background.outcome
    return {
      thumbnailJump: {
        images,
        distinctImages: new Set(items.map((i) => i.hash)).size,
        viewport: `${VIEWPORT.width}x${VIEWPORT.height}`,
        freshCacheNoJobMs: fresh,
        whileJobRunsMs: background.during,
        afterJobMs: background.after,
        job: {
          seconds: round(background.jobSeconds),
          made: result.generated,
          foundCached: result.cached,
          itemsPerSecond: round(missing / background.jobSeconds),
        },
        completeCheckMs: round(quantile(checks, 0.5)),
        rowsBytes: background.rowsBytes,
        tintsBytes: background.tintsBytes,
      },
    }
  } finally {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `tagsmith serve`'s setup in this process: the service (with or without the background job) and its server. */
async function withServer<T>(file: string, dir: string, backgroundThumbnails: boolean, use: (url: string, service: Service) => Promise<T>): Promise<T> {
  const service = new Service({ configDir: join(dir, `config-${String(backgroundThumbnails)}`), mode: 'web', version: 'bench', backgroundThumbnails })
  const server = await startServer({ service, port: 0, uiDir: join(root, 'out', 'renderer') })
  try {
    await service.request('project:open', { file })
    return await use(server.url, service)
  } finally {
    await server.close()
    service.close()
  }
}

/** JUMPS jumps in a fresh browser context (an empty cache), after the first screen has shown. */
async function jumps(browser: Browser, url: string, total: number): Promise<Jumps> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 })
  try {
    const page = await context.newPage()
    await page.goto(url)
    await page.waitForSelector('[data-testid="app"][data-state="ready"]', { state: 'attached', timeout: 60_000 })
    await page.waitForSelector('[data-testid="tile"] img', { timeout: 60_000 })
    // The first screen's tile count, less a row's worth: how many a jump must show before it counts as done.
    const minTiles = Math.max(1, Math.floor((await page.evaluate<number>(TILES_ON_SCREEN)) * 0.8))
    if (minTiles < 8) throw new Error(`only ${minTiles} tiles on the first screen`)
    const runs: number[] = []
    let tiles = 0
    for (let i = 0; i < JUMPS; i++) {
      const row = FIRST_ROW + i * JUMP_STRIDE
      const jump = await inPage<{ ms: number; tiles: number }>(page, JUMP_SCRIPT, { row, total, minTiles })
      runs.push(jump.ms)
      tiles = jump.tiles
    }
    return { p50: round(quantile(runs, 0.5)), p95: round(quantile(runs, 0.95)), runsMs: runs.map(round), tiles }
  } finally {
    await context.close()
  }
}

/** Runs a page script that is a function's source with one argument (this file has no DOM types). */
function inPage<T>(page: Page, source: string, arg: unknown): Promise<T> {
  return page.evaluate(({ source, arg }) => (0, eval)(source)(arg) as Promise<T>, { source, arg })
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[i] ?? NaN
}

function round(x: number): number {
  return Math.round(x * 10) / 10
}
