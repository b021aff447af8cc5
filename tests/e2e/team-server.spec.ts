import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import type { Browser, Page } from '@playwright/test'
import pg from 'pg'
import { startCluster, type Cluster } from '../support/postgres-cluster.ts'
import { expect, test } from './support/test.ts'
import { repoRoot, screenshotsDir } from './support/fixture-server.ts'
import { copyApparelSubset } from './support/subset-server.ts'

// The team server in Chromium: 6 + 2 apparel images imported into a PostgreSQL database, two
// `tagsmith serve --store postgresql://…` processes on it, and two team members, each in their own browser
// context on their own server. An edit in one grid appears in the other's; when the other member then
// changes that cell, the first one's undo is refused naming them, and both grids show the stored value.

const cli = path.join(repoRoot, 'bin', 'tagsmith.mjs')
const run = promisify(execFile)

interface TeamServer {
  url: string
  child: ChildProcess
}

let cluster: Cluster | undefined
let dir = ''
let store = ''
const servers: TeamServer[] = []
const tokens: Record<string, string> = {}

async function tagsmith(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [cli, ...args], { cwd: dir, env: { ...process.env, TAGSMITH_CONFIG_DIR: path.join(dir, 'config') } })
  return stdout
}

async function serveTeam(): Promise<TeamServer> {
  const child = spawn(process.execPath, [cli, 'serve', '--store', store, '--port', '0', '--json'], {
    cwd: dir,
    env: { ...process.env, TAGSMITH_CONFIG_DIR: path.join(dir, 'config') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const line = await new Promise<string>((done, fail) => {
    const lines = createInterface({ input: child.stdout! })
    lines.once('line', (first) => {
      lines.close()
      done(first)
    })
    child.once('exit', (code) => fail(new Error(`tagsmith serve --store exited (${code}): ${stderr}`)))
  })
  return { url: (JSON.parse(line) as { url: string }).url, child }
}

/** A team member's own browser context on one server, opened with their user token. */
async function member(browser: Browser, server: TeamServer, name: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage()
  const url = new URL(server.url)
  url.searchParams.set('token', tokens[name] ?? '')
  await page.goto(url.href)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('tile')).toHaveCount(8)
  return page
}

/** Toggles `black` on the image with id `id` through the editor; returns whether it is now set. */
async function toggleBlack(page: Page, id: string): Promise<boolean> {
  await page.locator(`[data-testid="tile"][data-id="${id}"]`).click()
  await page.keyboard.press('Enter')
  const toggle = page.getByTestId('toggle-black')
  await expect(toggle).toBeVisible()
  const now = (await toggle.getAttribute('aria-pressed')) !== 'true'
  await page.keyboard.press('1')
  await expect(toggle).toHaveAttribute('aria-pressed', String(now))
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
  await page.keyboard.press('Escape')
  return now
}

const tileOf = (page: Page, id: string) => page.locator(`[data-testid="tile"][data-id="${id}"]`)
/** A tile's label ("file: label, label") with or without `black` among its labels. */
const blackIs = (set: boolean): RegExp => (set ? /: (.*, )?black(,|$)/ : /: (?!(.*, )?black(,|$))/)

test.describe('team server', () => {
  test.skip(process.env.TAGSMITH_TEST_PG === 'off', 'TAGSMITH_TEST_PG=off: no PostgreSQL in this run')

  test.beforeAll(async () => {
    test.setTimeout(120_000)
    cluster = await startCluster()
    const admin = new pg.Client({ connectionString: `${cluster.baseUrl}/postgres` })
    await admin.connect()
    await admin.query('CREATE DATABASE team')
    await admin.end()
    store = `${cluster.baseUrl}/team`
    dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-e2e-team-'))
    const csvs = await copyApparelSubset(dir, { train: 6, val: 2 })
    await tagsmith('import', ...csvs, '--store', store, '--json')
    for (const name of ['ana', 'ben']) tokens[name] = (JSON.parse(await tagsmith('users', 'add', name, '--store', store, '--json')) as { token: string }).token
    servers.push(await serveTeam(), await serveTeam())
  })

  test.afterAll(async () => {
    for (const server of servers) {
      if (server.child.exitCode === null) {
        const exited = new Promise((done) => server.child.once('exit', done))
        server.child.kill('SIGTERM')
        await exited
      }
    }
    await cluster?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test("one member's edit appears in the other's grid; undo refuses a cell the other changed since", async ({ browser }) => {
    const [one, two] = servers as [TeamServer, TeamServer]
    const ana = await member(browser, one, 'ana')
    const ben = await member(browser, two, 'ben')
    const id = (await ana.getByTestId('tile').first().getAttribute('data-id')) ?? ''

    await test.step('each page names the database and its member, and does not offer closing the project', async () => {
      for (const [page, name] of [[ana, 'ana'], [ben, 'ben']] as const) {
        await expect(page.getByTestId('project-name')).toHaveText('team')
        await expect(page.getByTestId('project-name')).toHaveAttribute('title', /^postgresql:\/\/.*\/team$/)
        await expect(page.getByTestId('app-mode')).toHaveText(new RegExp(`^\\s*team · ${name}\\s*$`, 'i'))
        await expect(page.getByTestId('open-labels')).toBeEnabled()
        await expect(page.getByTestId('close-project')).toHaveCount(0)
      }
    })

    await test.step("ana's edit through one server shows in ben's grid through the other", async () => {
      const set = await toggleBlack(ana, id)
      await expect(tileOf(ben, id)).toHaveAttribute('aria-label', blackIs(set), { timeout: 2_000 })
    })

    await test.step('ben changes the same cell: the later edit wins in both grids', async () => {
      const set = await toggleBlack(ben, id)
      await expect(tileOf(ana, id)).toHaveAttribute('aria-label', blackIs(set), { timeout: 2_000 })
    })

    await test.step("ana's undo is refused, naming ben; nothing changes", async () => {
      const before = await tileOf(ana, id).getAttribute('aria-label')
      await tileOf(ana, id).click()
      await ana.keyboard.press('Control+z')
      const state = ana.getByTestId('save-state')
      await expect(state).toHaveAttribute('data-state', 'error')
      await expect(state).toHaveAttribute('title', /CONFLICT.*ben/)
      await expect(tileOf(ana, id)).toHaveAttribute('aria-label', before ?? '')
      await expect(tileOf(ben, id)).toHaveAttribute('aria-label', before ?? '')
      await ana.screenshot({ path: path.join(screenshotsDir, 'team-undo-refused.png') })
    })

    await test.step('the history names both', async () => {
      const history = JSON.parse(await tagsmith('history', '--store', store, '--json')) as Array<{ author: string }>
      expect(history.map((h) => h.author).slice(0, 2).sort()).toEqual(['ana', 'ben'])
    })

    await test.step("ben adds a label in the Labels dialog: it shows in ana's filter panel through the other server", async () => {
      await ben.getByTestId('open-labels').click()
      const dialog = ben.getByTestId('labels-dialog')
      await dialog.getByTestId('labels-add-name').fill('hat')
      await dialog.getByTestId('labels-add-value').selectOption('0')
      await dialog.getByTestId('labels-add').click()
      await expect(dialog.getByTestId('labels-row-11')).toHaveAttribute('data-label', 'hat')
      await dialog.getByTestId('labels-close').click()
      await expect(ben.getByTestId('filter-label-hat')).toBeVisible()
      await expect(ana.getByTestId('filter-label-hat')).toBeVisible({ timeout: 5_000 })
      const history = JSON.parse(await tagsmith('history', '--store', store, '--json')) as Array<{ author: string; kind: string }>
      expect(history[0]).toMatchObject({ author: 'ben', kind: 'label-add' })
    })
  })
})
