import type { Locator, Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import path from 'node:path'
import { screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'
import { trainShortRun } from './support/train-run.ts'

// Predictions in the browser (web mode) on 60 train + 30 val images of apparel-mini: a short run trained
// from the Train panel, then the Predictions panel: the global threshold slider changes the tile badges and
// the metrics, a false-negative count opens exactly those images in the grid, and the run exports as a
// model folder that checks itself.

const TRAIN = 60
const VAL = 30
const EPOCHS = 4

const server = serveForSuite(() => serveApparelSubset({ train: TRAIN, val: VAL }))

const num = async (l: Locator, attr: string): Promise<number> => Number(await l.getAttribute(attr))

/** Sum of an attribute over the tile badges in view. */
async function badgeSum(page: Page, attr: 'data-missing' | 'data-extra'): Promise<number> {
  const values = await page.getByTestId('tile-pred').evaluateAll((els, a) => els.map((e) => Number(e.getAttribute(a))), attr)
  return values.reduce((s, v) => s + v, 0)
}

async function setGlobal(page: Page, value: number): Promise<void> {
  await page.getByTestId('threshold-global').fill(String(value))
  await expect(page.getByTestId('threshold-global-value')).toHaveText(value.toFixed(2))
}

test('thresholds move badges and metrics; a false-negative count opens those images; the model exports', async ({ page }) => {
  test.setTimeout(600_000)
  const panel = page.getByTestId('predictions-panel')
  const summary = page.getByTestId('pred-summary')
  const microF1 = page.getByTestId('pred-metric-micro-f1')

  await trainShortRun(page, server().url, EPOCHS)

  await test.step('open Predictions: the run scores every image; tiles carry badges', async () => {
    await page.getByTestId('open-predictions').click()
    await expect(panel).toBeVisible()
    await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 120_000 })
    await expect(panel).toHaveAttribute('data-run', /^\d+$/)
    await expect(page.getByTestId('pred-metrics')).toHaveAttribute('data-n', String(VAL))
    await expect(page.getByTestId('tile-pred').first()).toBeVisible()
  })

  let low = { missing: 0, badges: 0, f1: '' }
  await test.step('move the global slider: badges and metrics follow', async () => {
    await setGlobal(page, 0.05)
    low = { missing: await num(summary, 'data-missing'), badges: await badgeSum(page, 'data-missing'), f1: (await microF1.getAttribute('data-value')) ?? '' }
    await page.screenshot({ path: path.join(screenshotsDir, 'predictions-threshold-low.png') })
    await setGlobal(page, 0.95)
    // Fewer labels predicted: fewer "missing" cells, in the panel and on the tiles; the metrics change.
    await expect.poll(() => num(summary, 'data-missing')).toBeLessThan(low.missing)
    await expect.poll(() => badgeSum(page, 'data-missing')).toBeLessThan(low.badges)
    await expect(microF1).not.toHaveAttribute('data-value', low.f1)
    expect(await num(summary, 'data-extra')).toBeGreaterThan(0)
    const ms = await num(summary, 'data-ms')
    test.info().annotations.push({ type: 'recompute ms (90 images x 11 labels)', description: ms.toFixed(2) })
    await page.screenshot({ path: path.join(screenshotsDir, 'predictions-threshold-high.png') })
  })

  await test.step('click a false-negative count: the grid shows exactly those images', async () => {
    const counts = page.locator('[data-testid^="pred-fn-"]')
    const values = await counts.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))))
    const at = values.findIndex((v) => v > 0)
    expect(at).toBeGreaterThanOrEqual(0)
    const n = values[at] ?? 0
    await counts.nth(at).click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(n))
    await expect(page.getByTestId('filter-ids')).toHaveAttribute('data-count', String(n))
    await expect(page.getByTestId('tile')).toHaveCount(n)
    // Each of them has a label set that the run does not predict.
    for (const extra of await page.getByTestId('tile-pred').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-extra'))))) {
      expect(extra).toBeGreaterThan(0)
    }
    await page.screenshot({ path: path.join(screenshotsDir, 'predictions-false-negatives.png') })
    await page.getByTestId('filter-ids-clear').click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(TRAIN + VAL))
  })

  await test.step('export the model: the files, and a self-check below 1e-4', async () => {
    await page.getByTestId('export-model-dir').fill(path.join(server().dir, 'model-out'))
    await page.getByTestId('export-model-start').click()
    await expect(page.getByTestId('export-model')).toHaveAttribute('data-state', /^(done|failed)$/, { timeout: 300_000 })
    const result = page.getByTestId('export-model-result')
    await expect(result).toHaveAttribute('data-verified', 'true')
    await expect(result).toContainText('model.json')
    await expect(result).toContainText('tagsmith.json')
    expect(await num(result, 'data-max-abs-diff')).toBeLessThan(1e-4)
    await page.getByTestId('export-model').scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(screenshotsDir, 'predictions-model-exported.png') })
  })
})
