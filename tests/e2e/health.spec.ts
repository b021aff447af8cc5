import type { Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import path from 'node:path'
import { readCsv, type Csv } from './support/csv.ts'
import { screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// The Dataset health panel in web mode, on 60 train + 30 val images of apparel-mini: its counts match the
// CSVs, and a count clicked shows exactly that many images in the grid; after groups are declared and a
// run is trained, group violations and near-duplicate pairs (across splits first) open their images too,
// and S in the editor (or the tile menu) shows the images most like one by the run's features.

const TRAIN = 60
const VAL = 30
const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']

const server = serveForSuite(() => serveApparelSubset({ train: TRAIN, val: VAL }))
let train: Csv
let val: Csv

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  train = await readCsv(path.join(server().dir, 'train.csv'))
  val = await readCsv(path.join(server().dir, 'val.csv'))
})

function rowsWith(csv: Csv, ...labels: string[]): number {
  const cols = labels.map((l) => csv.header.indexOf(l))
  return csv.rows.filter((r) => cols.every((c) => r[c] === '1')).length
}

/** Rows where not exactly one of the group's labels is 1. */
function breaking(csv: Csv, group: string[]): number {
  const cols = group.map((l) => csv.header.indexOf(l))
  return csv.rows.filter((r) => cols.filter((c) => r[c] === '1').length !== 1).length
}

async function clickCount(page: Page, testid: string, expected: number): Promise<void> {
  const count = page.getByTestId(testid)
  await expect(count).toHaveAttribute('data-count', String(expected))
  await count.click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(expected))
  await expect(page.getByTestId('tile')).toHaveCount(expected)
}

test('the health panel counts the CSVs and each count opens exactly its images', async ({ page }) => {
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(TRAIN + VAL))

  await page.getByTestId('open-health').click()
  const panel = page.getByTestId('health-panel')
  await expect(panel).toBeVisible()
  await expect(panel).not.toHaveAttribute('data-state', 'loading')

  await test.step('a per-split count opens its images', async () => {
    await expect(page.getByTestId('health-images-train')).toHaveAttribute('data-count', String(TRAIN))
    await expect(page.getByTestId('health-images-val')).toHaveAttribute('data-count', String(VAL))
    await clickCount(page, 'health-pos-red-val', rowsWith(val, 'red'))
    await clickCount(page, 'health-pos-shoes-train', rowsWith(train, 'shoes'))
  })

  await test.step('a co-occurrence cell opens the images positive for both labels', async () => {
    const both = rowsWith(train, 'blue', 'shirt') + rowsWith(val, 'blue', 'shirt')
    expect(both).toBeGreaterThan(0)
    await clickCount(page, 'health-co-blue-shirt', both)
    await expect(page.getByTestId('filter-ids')).toHaveAttribute('data-count', String(both))
  })

  await test.step('the service report: flagged images and near-duplicates section', async () => {
    await expect(panel).toHaveAttribute('data-state', 'ready')
    await expect(page.getByTestId('health-flagged-missing')).toHaveAttribute('data-count', '0')
    // No run trained yet: no features to compare.
    await expect(page.getByTestId('health-no-features')).toBeVisible()
  })

  await test.step('opening Train closes the health panel; Health brings it back', async () => {
    await page.getByTestId('open-train').click()
    await expect(panel).toHaveCount(0)
    await page.getByTestId('open-health').click()
    await expect(page.getByTestId('health-panel')).toBeVisible()
  })
})

test('after groups and a run: violations and near-duplicate pairs open their images', async ({ page }) => {
  test.setTimeout(400_000)
  const panel = page.getByTestId('health-panel')
  const dups = page.getByTestId('health-duplicates')
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')

  await test.step('declare the suggested groups and train a short run', async () => {
    await page.getByTestId('open-groups-top').click()
    await page.getByTestId('groups-suggest').click()
    await page.getByTestId('groups-save').click()
    await expect(page.getByTestId('groups-dialog')).toBeHidden()
    await page.getByTestId('open-train').click()
    await page.getByTestId('train-epochs').fill('2')
    await page.getByTestId('train-start').click()
    await expect(page.getByTestId('train-panel')).toHaveAttribute('data-phase', 'done', { timeout: 300_000 })
  })

  await test.step('group violations are the CSV rows breaking each group', async () => {
    await page.getByTestId('open-health').click()
    await expect(page.getByTestId('train-panel')).toHaveCount(0)
    await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
    await expect(page.getByTestId('health-groups').locator('tr')).toHaveCount(2)
    const colours = breaking(train, COLOURS) + breaking(val, COLOURS)
    const garments = breaking(train, GARMENTS) + breaking(val, GARMENTS)
    await expect(page.getByTestId('health-violations-0')).toHaveAttribute('data-count', String(colours))
    await expect(page.getByTestId('health-violations-1')).toHaveAttribute('data-count', String(garments))
    if (garments > 0) {
      await clickCount(page, 'health-violations-1', garments)
      await page.getByTestId('filter-ids-clear').click()
    }

    // Clearing an image's colour breaks the colour group: the report is asked for again once edits rest.
    await page.getByTestId('tile').first().click()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('editor')).toBeVisible()
    let cleared = 0
    for (const c of COLOURS) {
      if ((await page.getByTestId(`toggle-${c}`).getAttribute('aria-pressed')) !== 'true') continue
      await page.getByTestId(`toggle-${c}`).click()
      await expect(page.getByTestId(`toggle-${c}`)).toHaveAttribute('aria-pressed', 'false')
      cleared++
    }
    expect(cleared).toBeGreaterThan(0)
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('health-violations-0')).toHaveAttribute('data-count', String(colours + 1))
    await expect(panel).toHaveAttribute('data-stale', 'false')
    await page.getByTestId('health-refresh').click()
    await expect(panel).toHaveAttribute('data-state', 'ready')
    await clickCount(page, 'health-violations-0', colours + 1)
  })

  await test.step('a lower similarity threshold asks again; pairs across splits come first; a pair opens its two images', async () => {
    await expect(page.getByTestId('health-no-features')).toHaveCount(0)
    // The run's backbone by its catalog name, as the Train panel names it; the cache key in the tooltip.
    await expect(page.getByTestId('health-features')).toContainText('Features of MobileNetV2 (bundled, offline)')
    await expect(page.getByTestId('health-features')).toHaveAttribute('title', /^nsfwjs-mobilenetv2:/)
    const before = Number(await dups.getAttribute('data-pairs'))
    await page.getByTestId('health-similarity').fill('0.7')
    await page.getByTestId('health-similarity').press('Enter')
    await expect(panel).toHaveAttribute('data-state', 'ready')
    await expect.poll(async () => Number(await dups.getAttribute('data-pairs'))).toBeGreaterThan(before)
    await expect(page.getByTestId('health-similarity')).toHaveValue('0.7')
    const crossing = await page
      .locator('[data-testid^="health-pair-"]')
      .evaluateAll((els) => els.map((e) => e.classList.contains('cross')))
    expect(crossing.length).toBeGreaterThan(0)
    // Sorted: every pair across splits before every other.
    expect(crossing).toEqual([...crossing].sort((a, b) => Number(b) - Number(a)))
    const cross = Number(await dups.getAttribute('data-cross'))
    expect(cross).toBe(crossing.filter(Boolean).length)
    if (cross > 0) await expect(page.getByTestId('health-cross-warning')).toBeVisible()
    await page.locator('[data-testid^="health-pair-"] button').first().click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', '2')
    await expect(page.getByTestId('tile')).toHaveCount(2)
  })

  await test.step('S in the editor shows the images most like it under a chip; three are labelled at once; Back and ✕ leave', async () => {
    await page.getByTestId('filter-clear').click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(TRAIN + VAL))
    const tiles = page.getByTestId('tile')
    const query = (await tiles.nth(2).getAttribute('data-id')) ?? ''
    await tiles.nth(2).dblclick()
    await expect(page.getByTestId('editor')).toBeVisible()
    await page.keyboard.press('s')
    const chip = page.getByTestId('similar-chip')
    await expect(chip).toHaveAttribute('data-query', query)
    await expect(chip).toContainText('Similar to')
    await expect(page.getByTestId('editor')).toHaveCount(0)
    // Every image has the run's features: all of them, the query first, most similar first.
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(TRAIN + VAL))
    await expect(tiles.first()).toHaveAttribute('data-id', query)
    const shown = await tiles.evaluateAll((els) => els.slice(0, 12).map((e) => ({ id: e.getAttribute('data-id'), similarity: Number(e.getAttribute('data-similarity')) })))
    expect(shown[0]?.similarity).toBeCloseTo(1, 3)
    const sims = shown.slice(1).map((t) => t.similarity)
    expect(sims).toEqual([...sims].sort((a, b) => b - a))
    expect(sims[0]).toBeLessThan(1.0001)

    await tiles.nth(0).click()
    await tiles.nth(2).click({ modifiers: ['Shift'] })
    await expect(page.getByTestId('selection-count')).toContainText('3')
    await page.getByTestId('bulk-label').first().selectOption('white')
    await page.getByTestId('bulk-set').first().click()
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
    for (let i = 0; i < 3; i++) await expect(tiles.nth(i)).toHaveAttribute('aria-label', /: .*white/)
    // Still the same view, in the same order.
    expect(await tiles.evaluateAll((els) => els.slice(0, 12).map((e) => e.getAttribute('data-id')))).toEqual(shown.map((t) => t.id))

    // The tile menu asks about another image; Back returns to the first view, ✕ to all images.
    const other = (await tiles.nth(5).getAttribute('data-id')) ?? ''
    await tiles.nth(5).click({ button: 'right' })
    await page.getByTestId('tile-menu-similar').click()
    await expect(chip).toHaveAttribute('data-query', other)
    await expect(tiles.first()).toHaveAttribute('data-id', other)
    await page.getByTestId('filter-back').click()
    await expect(chip).toHaveAttribute('data-query', query)
    await page.getByTestId('similar-leave').click()
    await expect(chip).toHaveCount(0)
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(TRAIN + VAL))
  })

  await test.step('screenshot', async () => {
    await page.setViewportSize({ width: 1400, height: 1800 })
    await page.getByTestId('health-counts').scrollIntoViewIfNeeded()
    await page.waitForFunction(() => {
      const { document } = globalThis as unknown as {
        document: { querySelectorAll(s: string): Iterable<{ complete: boolean; naturalWidth: number }> }
      }
      return [...document.querySelectorAll('img')].every((i) => i.complete && i.naturalWidth > 0)
    })
    await page.screenshot({ path: path.join(screenshotsDir, 'health.png') })
  })
})
