// Review UI figures in web mode: an ~11k-image project (bench/dataset.ts's synthetic copy of the
// apparel fixture) served by `tagsmith serve` and driven in Debian Chromium with software rendering,
// as the browser tests run it. Measured in the page:
//  - toggle round trip: key press (the event's time stamp) to the "Saved" indicator in the DOM, which
//    the UI shows only after the service answered, i.e. after the edit's transaction committed;
//  - first grid paint: navigation start to the frame with the first tiles (their thumbnails requested);
//  - scroll frames: main-thread time per frame (frame start to the end of its rendering work) while the
//    grid scrolls a fixed distance per frame, down and back up.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { Project } from '../src-main/core/dataset/project.ts'
import { buildLargeDataset } from './dataset.ts'

const root = resolve(import.meta.dirname, '..')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
// The browser tests' launch arguments (tests/e2e/playwright.config.ts): headless, no GPU.
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
const VIEWPORT = { width: 1400, height: 860 }
// tsx compiles this file with esbuild's keepNames, which wraps inner functions in __name(); the page
// scripts below are serialised into the browser, where that helper must exist too.
const KEEP_NAMES_SHIM = 'globalThis.__name = (fn) => fn'
const TOGGLES = 200
const PAGE_LOADS = 5
const SCROLL_FRAMES = 240
const SCROLL_PX_PER_FRAME = 48

export async function bench(): Promise<Record<string, unknown>> {
  // TAGSMITH_BENCH_UI names another built renderer folder to measure instead of out/renderer.
  const uiDir = process.env.TAGSMITH_BENCH_UI
  if (uiDir === undefined) ensureBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-bench-ui-'))
  let server: Served | null = null
  let browser: Browser | null = null
  try {
    const { project } = await Project.importCsvs({ csvs: buildLargeDataset(dir) })
    const images = project.images().length
    const file = project.file
    project.close()
    server = await serve(file, join(dir, 'config'), uiDir)
    browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS })
    const page = await browser.newPage({ viewport: VIEWPORT, deviceScaleFactor: 1 })
    await page.addInitScript(KEEP_NAMES_SHIM)

    const paint = await firstGridPaint(page, server.url)
    const scroll = await scrollFrames(browser, page)
    const toggle = await toggleRoundTrips(page)
    return {
      ui: {
        images,
        toggleRoundTripMs: toggle.roundTrip,
        toggleParts: toggle.parts,
        firstGridPaintMs: paint.median,
        firstGridPaint: paint.detail,
        scrollFrameMs: scroll.work,
        scroll: scroll.detail,
        renderer: 'software (--disable-gpu)',
        browser: `Chromium ${browser.version()}`,
        targets: { toggleRoundTripP95Ms: 16, firstGridPaintMs: 1500, scrollFrameP95Ms: 16 },
      },
    }
  } finally {
    await browser?.close()
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Builds the app when out/renderer is missing; warns (on stderr) when it is older than the sources. */
function ensureBuilt(): void {
  const index = join(root, 'out', 'renderer', 'index.html')
  if (!existsSync(index)) {
    process.stderr.write('bench/ui: building the app (npx electron-vite build)\n')
    execFileSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
    return
  }
  const built = statSync(index).mtimeMs
  const newer = newestFile(join(root, 'src-renderer'))
  if (newer > built) process.stderr.write('bench/ui: out/renderer is older than src-renderer; figures are for the old build\n')
}

function newestFile(dir: string): number {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs)
  }
  return newest
}

/** The little of the DOM the page scripts use: this Node-side file is compiled without DOM types. */
interface PageElement {
  scrollTop: number
  dataset: Record<string, string | undefined>
}

interface PageGlobal {
  document: { querySelector(selector: string): PageElement | null }
  location: { hash: string }
  requestAnimationFrame(callback: (time: number) => void): number
  addEventListener(type: 'keydown', listener: (e: { timeStamp: number }) => void, options: { capture: boolean }): void
  MutationObserver: new (callback: () => void) => {
    observe(target: PageElement, options: { attributes: boolean; attributeFilter: string[] }): void
  }
  MessageChannel: new () => { port1: { onmessage: (() => void) | null; close(): void }; port2: { postMessage(message: unknown): void } }
  toggleBench?: { start: number; samples: ToggleSample[]; onSample: (() => void) | null }
}

interface Served {
  url: string
  stop(): Promise<void>
}

/** `tagsmith serve <project> --port 0 --json`; its first line names the address with the token. */
async function serve(project: string, configDir: string, uiDir: string | undefined): Promise<Served> {
  const args = [join(root, 'bin', 'tagsmith.mjs'), 'serve', project, '--port', '0', '--json']
  if (uiDir !== undefined) args.push('--ui', resolve(uiDir))
  const child = spawn(process.execPath, args, {
    env: { ...process.env, TAGSMITH_CONFIG_DIR: configDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const line = await firstLine(child).catch((err: unknown) => {
    throw new Error(`tagsmith serve did not start: ${String(err)}\n${stderr}`)
  })
  const { url } = JSON.parse(line) as { url: string }
  return {
    url,
    async stop() {
      if (child.exitCode !== null) return
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGTERM')
      await exited
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

const ready = (page: Page): Promise<unknown> =>
  page.waitForSelector('[data-testid="app"][data-state="ready"]', { state: 'attached', timeout: 60_000 })

/** The grid's own mark, read after each of several page loads: the first (cold caches) and the rest. */
async function firstGridPaint(page: Page, url: string): Promise<{ median: number; detail: Record<string, unknown> }> {
  const loads: Array<{ painted: number; requested: number; rows: number; ready: number }> = []
  for (let i = 0; i < PAGE_LOADS; i++) {
    if (i === 0) await page.goto(url)
    else await page.reload()
    await ready(page)
    const marks = await page.evaluate(async () => {
      const at = (name: string): number => performance.getEntriesByName(name)[0]?.startTime ?? NaN
      while (Number.isNaN(at('tagsmith:grid-painted'))) await new Promise((r) => setTimeout(r, 10))
      return {
        painted: at('tagsmith:grid-painted'),
        requested: at('tagsmith:rows-requested'),
        rows: at('tagsmith:rows-received'),
        ready: at('tagsmith:ready'),
      }
    })
    loads.push(marks)
  }
  const warm = loads.slice(1).map((l) => l.painted)
  return {
    median: round(quantile(warm, 0.5)),
    detail: {
      coldMs: round(loads[0]?.painted ?? NaN),
      coldRowsRequestedMs: round(loads[0]?.requested ?? NaN),
      coldRowsReceivedMs: round(loads[0]?.rows ?? NaN),
      warmRunsMs: warm.map(round),
      rowsRequestedMs: round(quantile(loads.slice(1).map((l) => l.requested), 0.5)),
      rowsReceivedMs: round(quantile(loads.slice(1).map((l) => l.rows), 0.5)),
      readyMs: round(quantile(loads.slice(1).map((l) => l.ready), 0.5)),
    },
  }
}

interface FrameStats {
  work: number[]
  intervals: number[]
}

/**
 * Scrolls the grid down by a fixed step each frame, then back up the same way. Per frame: the rAF
 * interval, and the main thread's time from the frame's start to a message posted from its rAF callback
 * (which runs once the frame's style, layout and paint are done). Counts thumbnail requests for addresses
 * the browser had already received in full, and how many of those reached the server.
 */
async function scrollFrames(
  browser: Browser,
  page: Page,
): Promise<{ work: { p50: number; p95: number }; detail: Record<string, unknown> }> {
  await page.evaluate(() => {
    const grid = (globalThis as unknown as PageGlobal).document.querySelector('[data-testid="grid"]')
    if (grid) grid.scrollTop = 0
  })
  const run = (direction: 1 | -1): Promise<FrameStats> =>
    page.evaluate(
      ({ frames, step, FRAME_MARK_NAME }) =>
        new Promise<FrameStats>((done) => {
          const w = globalThis as unknown as PageGlobal
          const grid = w.document.querySelector('[data-testid="grid"]')
          if (grid === null) throw new Error('no grid')
          const work: number[] = []
          const intervals: number[] = []
          const channel = new w.MessageChannel()
          let frameStart = 0
          let last = 0
          let n = 0
          channel.port1.onmessage = () => {
            work.push(performance.now() - frameStart)
            if (n >= frames) {
              channel.port1.close()
              done({ work, intervals })
            }
          }
          const tick = (t: number): void => {
            if (last !== 0) intervals.push(t - last)
            last = t
            frameStart = t
            n++
            performance.mark(FRAME_MARK_NAME)
            channel.port2.postMessage(0)
            grid.scrollTop += step
            if (n < frames) w.requestAnimationFrame(tick)
          }
          w.requestAnimationFrame(tick)
        }),
      { frames: SCROLL_FRAMES, step: direction * SCROLL_PX_PER_FRAME, FRAME_MARK_NAME: FRAME_MARK },
    )
  // Thumbnail requests for an address the browser already received in full: with cacheable addresses the
  // browser answers them itself (or makes no request at all); otherwise the server is asked again.
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  const urls = new Map<string, string>()
  const received = new Set<string>()
  const repeats = { requests: 0, fromServer: 0 }
  const inFlight = new Set<string>()
  let settled: (() => void) | null = null
  const done = (requestId: string): void => {
    inFlight.delete(requestId)
    if (inFlight.size === 0) settled?.()
  }
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!e.request.url.includes('/thumb')) return
    urls.set(e.requestId, e.request.url)
    inFlight.add(e.requestId)
    if (received.has(e.request.url)) repeats.requests++
  })
  cdp.on('Network.loadingFailed', (e) => done(e.requestId))
  cdp.on('Network.responseReceived', (e) => {
    const url = urls.get(e.requestId)
    if (url !== undefined && received.has(url) && !e.response.fromDiskCache) repeats.fromServer++
  })
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId)
    if (url !== undefined) received.add(url)
    done(e.requestId)
  })
  // The thumbnails still loading from the way down finish before the way back starts.
  const allLoaded = (): Promise<void> =>
    inFlight.size === 0 ? Promise.resolve() : Promise.race([new Promise<void>((r) => (settled = r)), page.waitForTimeout(30_000)])
  // A trace gives each frame's main-thread CPU time, which a busy machine inflates far less than wall time.
  await browser.startTracing(page, { categories: ['disabled-by-default-devtools.timeline', 'blink.user_timing'] })
  const down = await run(1)
  await allLoaded()
  const up = await run(-1)
  const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }
  await cdp.detach()
  const cpu = cpuPerFrame(trace.traceEvents)
  const work = [...down.work, ...up.work]
  const intervals = [...down.intervals, ...up.intervals]
  return {
    work: pair(work),
    detail: {
      frames: work.length,
      pxPerFrame: SCROLL_PX_PER_FRAME,
      downMs: pair(down.work),
      upMs: pair(up.work),
      rafIntervalMs: pair(intervals),
      framesOver16Ms: work.filter((w) => w > 16).length,
      mainThreadCpuMs: pair(cpu),
      thumbnailsReceived: received.size,
      thumbRepeatRequests: repeats.requests,
      thumbRepeatsAnsweredByServer: repeats.fromServer,
    },
  }
}

const FRAME_MARK = 'tagsmith-bench:frame'

interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  ts: number
  dur?: number
  tdur?: number
  args?: { name?: string }
}

/**
 * Main-thread CPU milliseconds per frame: the thread time of the renderer's tasks, each counted in the
 * frame (between two frame marks) in which it ended, so the task that runs a frame's rAF callbacks,
 * style, layout and paint counts for that frame.
 */
function cpuPerFrame(events: TraceEvent[]): number[] {
  const mark = events.find((e) => e.name === FRAME_MARK)
  if (mark === undefined) return []
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === mark.pid && e.args?.name === 'CrRendererMain')
  if (main === undefined) return []
  const onMain = (e: TraceEvent): boolean => e.pid === main.pid && e.tid === main.tid
  const starts = events.filter((e) => e.name === FRAME_MARK && e.pid === mark.pid).map((e) => e.ts).sort((a, b) => a - b)
  const tasks = events.filter((e) => e.ph === 'X' && e.name === 'RunTask' && onMain(e)).sort((a, b) => a.ts - b.ts)
  const cpu = new Array<number>(Math.max(0, starts.length - 1)).fill(0)
  let outerEnd = -Infinity
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0)
    if (end <= outerEnd) continue // nested in a task already counted
    outerEnd = end
    let frame = -1
    for (let lo = 0, hi = starts.length - 1; lo <= hi; ) {
      const mid = (lo + hi) >> 1
      if ((starts[mid] ?? Infinity) <= end) {
        frame = mid
        lo = mid + 1
      } else hi = mid - 1
    }
    if (frame >= 0 && frame < cpu.length) cpu[frame] = (cpu[frame] ?? 0) + (task.tdur ?? 0) / 1000
  }
  // The pause between the two runs is not a frame.
  return cpu.filter((_, i) => (starts[i + 1] ?? Infinity) - (starts[i] ?? 0) < 250_000)
}

interface ToggleSample {
  total: number
  beforeSend: number
  answer: number
  afterAnswer: number
}

/**
 * Opens the editor on the first image and presses one label's key TOGGLES times, each after the previous
 * edit showed "Saved" and two quiet frames passed. The page records the key event's time stamp, the labels
 * store's marks around the request, and when the indicator turned "saved".
 */
async function toggleRoundTrips(page: Page): Promise<{ roundTrip: { p50: number; p95: number }; parts: Record<string, unknown> }> {
  await page.evaluate(() => ((globalThis as unknown as PageGlobal).location.hash = ''))
  await page.locator('[data-testid="tile"]').first().dblclick()
  await page.waitForSelector('[data-testid="editor"]')
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobal
    const bench: NonNullable<PageGlobal['toggleBench']> = { start: 0, samples: [], onSample: null }
    w.toggleBench = bench
    const indicator = w.document.querySelector('[data-testid="save-state"]')
    if (indicator === null) throw new Error('no save indicator')
    w.addEventListener(
      'keydown',
      (e) => {
        performance.clearMarks('tagsmith:edit-sent')
        performance.clearMarks('tagsmith:edit-answered')
        bench.start = e.timeStamp
      },
      { capture: true },
    )
    new w.MutationObserver(() => {
      if (indicator.dataset.state !== 'saved' || bench.start === 0) return
      const now = performance.now()
      const at = (name: string): number => performance.getEntriesByName(name)[0]?.startTime ?? NaN
      const sent = at('tagsmith:edit-sent')
      const answered = at('tagsmith:edit-answered')
      bench.samples.push({ total: now - bench.start, beforeSend: sent - bench.start, answer: answered - sent, afterAnswer: now - answered })
      bench.start = 0
      bench.onSample?.()
    }).observe(indicator, { attributes: true, attributeFilter: ['data-state'] })
  })
  const key = '1' // the first label's key
  for (let i = 0; i < TOGGLES; i++) {
    // Waits for the sample without polling: a polling wait would keep the page drawing frames, which
    // competes for the CPU with the edit being measured.
    const sampled = page.evaluate(
      (n) =>
        new Promise<void>((resolve) => {
          const bench = (globalThis as unknown as PageGlobal).toggleBench
          if (bench === undefined || bench.samples.length > n) return resolve()
          bench.onSample = () => resolve()
        }),
      i,
    )
    await page.keyboard.press(key)
    await sampled
    await page.evaluate(() => {
      const w = globalThis as unknown as PageGlobal
      return new Promise((r) => w.requestAnimationFrame(() => w.requestAnimationFrame(r)))
    })
  }
  const samples = await page.evaluate(() => (globalThis as unknown as PageGlobal).toggleBench?.samples ?? [])
  const of = (k: keyof ToggleSample): number[] => samples.map((s) => s[k]).filter((v) => Number.isFinite(v))
  return {
    roundTrip: pair(of('total')),
    parts: {
      toggles: samples.length,
      keyToRequestMs: pair(of('beforeSend')),
      requestToAnswerMs: pair(of('answer')),
      answerToSavedMs: pair(of('afterAnswer')),
    },
  }
}

function quantile(values: number[], q: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}

function round(x: number): number {
  return Number(x.toFixed(2))
}

function pair(values: number[]): { p50: number; p95: number } {
  return { p50: round(quantile(values, 0.5)), p95: round(quantile(values, 0.95)) }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(JSON.stringify(await bench(), null, 2))
}
