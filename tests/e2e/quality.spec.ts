import { expect, test } from './support/test.ts'
import { copyFile } from 'node:fs/promises'
import path from 'node:path'
import { cell, readCsv, type Csv } from './support/csv.ts'
import { repoRoot, screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'
import { trainShortRun } from './support/train-run.ts'

// The label-error queue in the browser (web mode) on 40 train + 20 val images of apparel-mini: a short
// run trained from the Train panel, then "Find issues": the top suspect is fixed with the accept key, the
// fixed count moves, the grid's tile shows the new label, and the exported CSV holds it in that one cell.

const TRAIN = 40
const VAL = 20
const EPOCHS = 3

const server = serveForSuite(() => serveApparelSubset({ train: TRAIN, val: VAL }))
let before: { train: Csv; val: Csv }

test.beforeAll(async () => {
  before = { train: await readCsv(path.join(server().dir, 'train.csv')), val: await readCsv(path.join(server().dir, 'val.csv')) }
})

/** The CSV (train or val) that holds an image path, as read from `dir`. */
async function csvHolding(dir: string, image: string): Promise<{ name: string; csv: Csv }> {
  for (const name of ['train.csv', 'val.csv']) {
    const csv = await readCsv(path.join(dir, name))
    if (cell(csv, image, 'image') !== undefined) return { name, csv }
  }
  throw new Error(`${image} is in neither CSV`)
}

test('fix the top suspect with one key: the count moves, the tile changes, the CSV export holds the edit', async ({ page }) => {
  test.setTimeout(600_000)
  const queuePanel = page.getByTestId('queue-panel')
  const current = page.getByTestId('queue-current')
  const progress = page.getByTestId('queue-progress')

  await trainShortRun(page, server().url, EPOCHS)

  let suspect = { id: '', label: '', stored: '', image: '' }
  await test.step('open Find issues: the label-error queue of the run, the worst pair highlighted in the editor', async () => {
    await page.getByTestId('open-queue').click()
    await expect(queuePanel).toBeVisible()
    await expect(page.getByTestId('train-panel')).toBeHidden()
    await expect(page.getByTestId('queue-suspects')).toHaveAttribute('data-state', 'ready', { timeout: 120_000 })
    await expect(progress).toHaveAttribute('data-fixed', '0')
    const total = Number(await progress.getAttribute('data-total'))
    expect(total).toBeGreaterThan(0)
    // One total: the walk counts against the list the panel says it holds.
    await expect(page.getByTestId('queue-position')).toHaveText(`1 / ${total}`)
    await expect(progress).toContainText(new RegExp(`(^|\\s)${total} (images?|of [\\d,]+ candidates)`))
    // Rows: a loaded thumbnail, the folder and file name, the model's view in words; no sideways scroll.
    const firstRow = page.getByTestId('queue-item').first()
    await expect(firstRow).toContainText(/\/ · .+: labelled [01], model \d\.\d\d/)
    await expect
      .poll(() => firstRow.getByTestId('queue-thumb').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBeGreaterThan(0)
    const body = queuePanel.locator('.docked-panel-body')
    expect(await body.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0)
    suspect = {
      id: (await current.getAttribute('data-image-id')) ?? '',
      label: (await current.getAttribute('data-label')) ?? '',
      stored: (await current.getAttribute('data-stored')) ?? '',
      image: (await current.getAttribute('data-image')) ?? '',
    }
    expect(suspect.stored).toMatch(/^[01]$/)
    // The queue's stored value is the CSV's.
    const { csv } = await csvHolding(server().dir, suspect.image)
    expect(cell(csv, suspect.image, suspect.label)).toBe(suspect.stored)

    await page.getByTestId('queue-start').click()
    await expect(page.getByTestId('editor')).toHaveAttribute('data-image-id', suspect.id)
    const toggle = page.getByTestId(`toggle-${suspect.label}`)
    await expect(toggle).toHaveAttribute('data-suspect', 'true')
    await expect(toggle).toHaveAttribute('aria-pressed', suspect.stored === '1' ? 'true' : 'false')
    const wanted = suspect.stored === '1' ? '0' : '1'
    await expect(toggle.getByTestId('suspect-note')).toHaveText(new RegExp(`^model says \\d\\.\\d\\d → ${wanted}, stored ${suspect.stored}$`))
    await expect(page.getByTestId('queue-accept')).toContainText('Enter')
    await page.getByTestId('editor-image').evaluate((img) => (img as unknown as { decode(): Promise<void> }).decode())
    await page.screenshot({ path: path.join(screenshotsDir, 'queue-suspect.png') })
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      await copyFile(path.join(screenshotsDir, 'queue-suspect.png'), path.join(repoRoot, 'docs', 'screenshot-queue.png'))
    }
  })

  const fixedValue = (): string => (suspect.stored === '1' ? '0' : '1')
  await test.step('Enter accepts the model view: saved, fixed 1, undo available, the queue moves on', async () => {
    const started = Date.now()
    await page.keyboard.press('Enter')
    await expect(progress).toHaveAttribute('data-fixed', '1')
    test.info().annotations.push({ type: 'queue step ms (accept to count shown)', description: String(Date.now() - started) })
    await expect(progress).toHaveAttribute('data-reviewed', '1')
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
    await expect(page.getByTestId('undo')).toBeEnabled()
    // Either the same image's next pair or the next image: not the pair just fixed.
    await expect
      .poll(async () => `${await current.getAttribute('data-image-id')}:${await current.getAttribute('data-label')}`)
      .not.toBe(`${suspect.id}:${suspect.label}`)
    await page.screenshot({ path: path.join(screenshotsDir, 'queue-after-accept.png') })
  })

  await test.step('Ctrl+Z undoes the accept and asks the pair again; Enter fixes it once more', async () => {
    await page.keyboard.press('Control+z')
    await expect(progress).toHaveAttribute('data-fixed', '0')
    await expect(current).toHaveAttribute('data-image-id', suspect.id)
    await expect(current).toHaveAttribute('data-label', suspect.label)
    await expect(page.getByTestId('editor')).toHaveAttribute('data-image-id', suspect.id)
    await expect(page.getByTestId(`toggle-${suspect.label}`)).toHaveAttribute('aria-pressed', suspect.stored === '1' ? 'true' : 'false')
    await page.keyboard.press('Enter')
    await expect(progress).toHaveAttribute('data-fixed', '1')
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
  })

  await test.step('the grid tile and the editor show the new value', async () => {
    await page.keyboard.press('Escape')
    await page.getByTestId('search').fill(suspect.image)
    const tile = page.locator(`[data-testid="tile"][data-id="${suspect.id}"]`)
    await expect(tile).toBeVisible()
    await expect(tile.getByTestId('tile-edited')).toBeVisible()
    const chip = tile.locator('.chip', { hasText: new RegExp(`^${suspect.label}$`) })
    await expect(chip).toHaveCount(fixedValue() === '1' ? 1 : 0)
    await tile.dblclick()
    await expect(page.getByTestId('editor')).toHaveAttribute('data-image-id', suspect.id)
    await expect(page.getByTestId(`toggle-${suspect.label}`)).toHaveAttribute('aria-pressed', fixedValue() === '1' ? 'true' : 'false')
    await page.keyboard.press('Escape')
    await page.getByTestId('search').fill('')
  })

  await test.step('export the CSV: that exact cell holds the model view, nothing else changed', async () => {
    await page.getByTestId('open-export').click()
    await expect(page.getByTestId('export-summary')).toHaveAttribute('data-state', 'ready')
    await expect(page.getByTestId('export-cells')).toHaveText('1')
    const outDir = path.join(server().dir, 'out')
    await page.getByTestId('export-dir').fill(outDir)
    await page.getByTestId('export-run').click()
    await expect(page.getByTestId('export-files')).toContainText('train.csv')
    const { name, csv } = await csvHolding(outDir, suspect.image)
    expect(cell(csv, suspect.image, suspect.label)).toBe(fixedValue())
    const original = name === 'train.csv' ? before.train : before.val
    const changed = csv.lines.filter((l, i) => l !== original.lines[i])
    expect(changed).toHaveLength(1)
    expect(changed[0]).toContain(suspect.image)
    const other = await readCsv(path.join(outDir, name === 'train.csv' ? 'val.csv' : 'train.csv'))
    expect(other.text).toBe((name === 'train.csv' ? before.val : before.train).text)
    await page.getByTestId('panel-close').click()
  })

  await test.step('uncertainty queue: a confirmation starts a warm retrain that refreshes the order', async () => {
    await page.getByTestId('queue-tab-uncertain').click()
    const uncertain = page.getByTestId('queue-uncertain')
    await expect(uncertain).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
    const firstRun = Number(await uncertain.getAttribute('data-run'))
    await page.getByTestId('queue-retrain-every').fill('1')
    await page.getByTestId('queue-retrain-every').press('Tab')
    await page.getByTestId('queue-start').click()
    const id = await page.getByTestId('queue-current').getAttribute('data-image-id')
    await expect(page.getByTestId('editor')).toHaveAttribute('data-image-id', id ?? '')
    const started = Date.now()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('queue-confirmed')).toHaveAttribute('data-confirmed', '1')
    await expect(page.getByTestId('queue-retrain')).toHaveAttribute('data-state', /^(retraining|refreshed)$/)
    await expect(page.getByTestId('queue-retrain')).toHaveAttribute('data-state', 'refreshed', { timeout: 120_000 })
    test.info().annotations.push({ type: 'warm retrain ms (confirm to order refreshed)', description: String(Date.now() - started) })
    await expect(page.getByTestId('queue-retrain')).toHaveText('order refreshed')
    expect(Number(await uncertain.getAttribute('data-run'))).toBeGreaterThan(firstRun)
    await page.screenshot({ path: path.join(screenshotsDir, 'queue-uncertain-refreshed.png') })
  })
})
