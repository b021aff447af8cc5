import { expect, test, type Page } from '@playwright/test'
import path from 'node:path'
import { readCsv, type Csv } from './support/csv.ts'
import type { FixtureServer } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// The Dataset health panel in web mode, on 60 train + 30 val images of apparel-mini: its counts match the
// CSVs, and a count clicked shows exactly that many images in the grid.

const TRAIN = 60
const VAL = 30

let server: FixtureServer
let train: Csv
let val: Csv

test.beforeAll(async () => {
  server = await serveApparelSubset({ train: TRAIN, val: VAL })
  train = await readCsv(path.join(server.dir, 'train.csv'))
  val = await readCsv(path.join(server.dir, 'val.csv'))
})

test.afterAll(async () => {
  await server?.stop()
})

function rowsWith(csv: Csv, ...labels: string[]): number {
  const cols = labels.map((l) => csv.header.indexOf(l))
  return csv.rows.filter((r) => cols.every((c) => r[c] === '1')).length
}

async function clickCount(page: Page, testid: string, expected: number): Promise<void> {
  const count = page.getByTestId(testid)
  await expect(count).toHaveAttribute('data-count', String(expected))
  await count.click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(expected))
  await expect(page.getByTestId('tile')).toHaveCount(expected)
}

test('the health panel counts the CSVs and each count opens exactly its images', async ({ page }) => {
  await page.goto(server.url)
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
