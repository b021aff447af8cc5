import type { Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { repoRoot, serveForSuite } from './support/fixture-server.ts'
import { sidewaysOverflow } from './support/overflow.ts'
import { serveApparelSubset } from './support/subset-server.ts'
import { trainShortRun } from './support/train-run.ts'

// The review screen at everyday window sizes (web mode, 30 train + 15 val images of apparel-mini, one short
// run): with three images selected and each docked panel open in turn, nothing scrolls sideways or reaches
// past the window's edge, and every top-bar action is on the bar or in its More menu.

const VIEWPORTS = [
  { name: '1280x720', width: 1280, height: 720 },
  { name: '1920x1080', width: 1920, height: 1080 },
]
const TOPBAR_ACTIONS = ['tile-size', 'undo', 'redo', 'open-groups-top', 'open-train', 'open-predictions', 'open-try', 'open-queue', 'open-health', 'open-export', 'close-project', 'open-add-images', 'rescan-folder']
/** Actions the More menu always holds, however wide the window. */
const MENU_ONLY = ['open-add-images', 'rescan-folder']
const layoutDir = path.join(repoRoot, 'test-results', 'layout')
const docsDir = path.join(repoRoot, 'docs')

const server = serveForSuite(() => serveApparelSubset({ train: 30, val: 15 }))

/** Opens a docked panel from the top bar and waits until it shows what it loads. */
async function openPanel(page: Page, toggle: string, panel: string, ready: () => Promise<void>): Promise<void> {
  await page.getByTestId(toggle).click()
  await expect(page.getByTestId(panel)).toBeVisible()
  await ready()
}

// Soft: one run lists every offending element of every state, not only the first.
async function expectNoSidewaysOverflow(page: Page, state: string): Promise<void> {
  expect.soft(await sidewaysOverflow(page), state).toEqual([])
}

/**
 * Every top-bar action (the grid's) is shown on the bar, or in the More menu; the saved state and search
 * always on the bar. Esc closes the menu and leaves the grid's selection alone.
 */
async function expectTopBarReachable(page: Page): Promise<void> {
  await expect(page.getByTestId('save-state')).toBeInViewport({ ratio: 1 })
  const search = await page.getByTestId('search').boundingBox()
  expect.soft(search?.width ?? 0, 'search box width').toBeGreaterThanOrEqual(140)
  const name = page.getByTestId('project-name')
  expect.soft((await name.boundingBox())?.width ?? 0, 'project name width').toBeGreaterThanOrEqual(40)
  await expect(name).toHaveAttribute('title', /\.tagsmith|[\\/]/)
  const hidden: string[] = []
  for (const id of TOPBAR_ACTIONS) {
    const action = page.getByTestId(id)
    if (await action.isVisible()) await expect(action).toBeInViewport({ ratio: 1 })
    else hidden.push(id)
  }
  if (hidden.length === 0) return
  const selected = await page.getByTestId('selection-count').textContent()
  await page.getByTestId('topbar-more').click()
  for (const id of hidden) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 })
  await expectNoSidewaysOverflow(page, 'the More menu open')
  await page.keyboard.press('Escape')
  for (const id of hidden) await expect(page.getByTestId(id)).toBeHidden()
  await expect(page.getByTestId('selection-count')).toHaveText(selected ?? '')
}

async function shot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: path.join(layoutDir, file) })
}

test('docked panels, the top bar and the editor fit 1280x720 and 1920x1080 without sideways scrolling', async ({ page }) => {
  test.setTimeout(240_000)
  await mkdir(layoutDir, { recursive: true })
  await page.setViewportSize({ width: 1280, height: 720 })
  await trainShortRun(page, server().url, 3)

  await test.step('select three images', async () => {
    await page.getByTestId('train-close').click()
    await page.getByTestId('tile').nth(0).click()
    await page.getByTestId('tile').nth(2).click({ modifiers: ['Shift'] })
    await expect(page.getByTestId('selection-count')).toContainText('3 selected')
  })

  const panels = [
    { name: 'train', toggle: 'open-train', panel: 'train-panel', ready: () => expect(page.getByTestId('loss-chart')).toHaveAttribute('data-epochs', '3') },
    {
      name: 'predictions',
      toggle: 'open-predictions',
      panel: 'predictions-panel',
      ready: () => expect(page.getByTestId('predictions-panel')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 }),
    },
    { name: 'try', toggle: 'open-try', panel: 'try-panel', ready: () => expect(page.getByTestId('try-run').locator('option').first()).toHaveText(/^Active \(run \d+\)$/) },
    {
      name: 'issues',
      toggle: 'open-queue',
      panel: 'queue-panel',
      ready: () => expect(page.getByTestId('queue-suspects')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 }),
    },
    {
      name: 'health',
      toggle: 'open-health',
      panel: 'health-panel',
      ready: () => expect(page.getByTestId('health-panel')).toHaveAttribute('data-state', 'ready', { timeout: 60_000 }),
    },
  ]

  for (const v of VIEWPORTS) {
    await test.step(`${v.name}: the grid alone, then each docked panel`, async () => {
      await page.setViewportSize({ width: v.width, height: v.height })
      await expectTopBarReachable(page)
      await expectNoSidewaysOverflow(page, `${v.name} grid`)
      await shot(page, `${v.name}-grid.png`)
      for (const p of panels) {
        await openPanel(page, p.toggle, p.panel, p.ready)
        await expectNoSidewaysOverflow(page, `${v.name} ${p.name}`)
        await expectTopBarReachable(page)
        await shot(page, `${v.name}-${p.name}.png`)
      }
      await page.getByTestId('health-close').click()
    })
  }

  await test.step('1400x860 (the other suites\' window): every top-bar action not kept in the More menu is on the bar itself', async () => {
    await page.setViewportSize({ width: 1400, height: 860 })
    for (const id of TOPBAR_ACTIONS.filter((a) => a !== 'tile-size' && !MENU_ONLY.includes(a))) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 })
  })

  await test.step('1100x800: the top bar keeps every action reachable', async () => {
    await page.setViewportSize({ width: 1100, height: 800 })
    await expectTopBarReachable(page)
    await expectNoSidewaysOverflow(page, '1100x800 grid')
    await shot(page, '1100x800-grid.png')
  })

  await test.step('1280x720 editor: the label list scrolls on its own and keeps the label just set in view', async () => {
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.getByTestId('open-predictions').click()
    await page.getByTestId('tile').nth(1).click()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('editor')).toBeVisible()
    const last = page.getByTestId('toggle-shoes')
    const before = await last.getAttribute('aria-pressed')
    await page.keyboard.press('q')
    await expect(last).toHaveAttribute('aria-pressed', before === 'true' ? 'false' : 'true')
    await expect(last).toBeInViewport({ ratio: 1 })
    await expectNoSidewaysOverflow(page, '1280x720 editor')
    await shot(page, '1280x720-editor.png')
    await page.keyboard.press('q')
    await expect(last).toHaveAttribute('aria-pressed', before ?? 'false')
    await page.keyboard.press('Escape')
    await page.getByTestId('predictions-close').click()
  })

  if (process.env.TAGSMITH_DOCS_SCREENSHOTS === '1') {
    await test.step('the README screenshots at 1280x720', async () => {
      await page.keyboard.press('Escape')
      await expect(page.getByTestId('bulk-bar')).toBeHidden()
      await page.screenshot({ path: path.join(docsDir, 'screenshot-grid.png') })
      await openPanel(page, 'open-health', 'health-panel', () => expect(page.getByTestId('health-panel')).toHaveAttribute('data-state', 'ready'))
      await page.screenshot({ path: path.join(docsDir, 'screenshot-health.png') })
      await openPanel(page, 'open-queue', 'queue-panel', () => expect(page.getByTestId('queue-suspects')).toHaveAttribute('data-state', 'ready'))
      await page.getByTestId('queue-start').click()
      await page.getByTestId('editor-image').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode())
      await page.screenshot({ path: path.join(docsDir, 'screenshot-queue.png') })
    })
  }
})
