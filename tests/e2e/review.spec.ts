import type { Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import { copyFile } from 'node:fs/promises'
import path from 'node:path'
import { cell, countOnes, readCsv, type Csv } from './support/csv.ts'
import { repoRoot, screenshotsDir, serveApparelMini, serveForSuite } from './support/fixture-server.ts'

// The review workflow in web mode on a private copy of apparel-mini: open, filter, groups, keyboard
// editing, bulk edit, undo/redo, reload, export — then the CSV cells on disk.

const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']
const KEYS: Record<string, string> = {
  black: '1', blue: '2', brown: '3', green: '4', red: '5', white: '6',
  dress: '7', shirt: '8', pants: '9', shorts: '0', shoes: 'q',
}

test.describe.configure({ mode: 'serial' })

const server = serveForSuite(() => serveApparelMini())
let train: Csv
let val: Csv

test.beforeAll(async () => {
  train = await readCsv(path.join(server().dir, 'train.csv'))
  val = await readCsv(path.join(server().dir, 'val.csv'))
})

const ready = (page: Page) => expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
const countOf = (page: Page, label: string) => page.getByTestId(`count-${label}`)

/** Waits until the thumbnails in view have decoded, so screenshots show images, not placeholders. */
async function thumbnailsLoaded(page: Page): Promise<void> {
  // Runs in the page; this Node-side file has no DOM types, so it names the two properties it reads.
  await page.waitForFunction(() => {
    const { document } = globalThis as unknown as {
      document: { querySelectorAll(s: string): Iterable<{ complete: boolean; naturalWidth: number }> }
    }
    const imgs = [...document.querySelectorAll('[data-testid="tile"] img')].slice(0, 24)
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0)
  })
}

function both(fn: (csv: Csv) => number): number {
  return fn(train) + fn(val)
}

test('review, correct and export labels in the browser', async ({ page }) => {
  const all = train.rows.length + val.rows.length
  const redCount = both((c) => countOnes(c, 'red'))
  const pathCol = train.header.indexOf('image')

  await test.step('open the served project', async () => {
    await page.goto(server().url)
    await ready(page)
    await expect(page.getByTestId('app-mode')).toHaveText(server().mode)
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(all))
    await expect(countOf(page, 'red')).toContainText(`${redCount} / ${redCount}`)
    await thumbnailsLoaded(page)
    await page.screenshot({ path: path.join(screenshotsDir, 'grid.png') })
    if (process.env.UPDATE_DOCS_SCREENSHOT === '1') {
      await copyFile(path.join(screenshotsDir, 'grid.png'), path.join(repoRoot, 'docs', 'screenshot-grid.png'))
    }
  })

  await test.step('filter: has red, lacks dress, file name search; the filter survives a reload', async () => {
    await page.getByTestId('filter-label-red').click()
    await expect(page.getByTestId('filter-label-red')).toHaveAttribute('data-state', 'has')
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(redCount))

    await page.getByTestId('filter-label-dress').click()
    await page.getByTestId('filter-label-dress').click()
    await expect(page.getByTestId('filter-label-dress')).toHaveAttribute('data-state', 'lacks')
    const redNotDress = both((c) => {
      const [r, d] = [c.header.indexOf('red'), c.header.indexOf('dress')]
      return c.rows.filter((row) => row[r] === '1' && row[d] !== '1').length
    })
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(redNotDress))
    await expect(countOf(page, 'dress')).toContainText(`0 / `)

    await page.getByTestId('search').fill('RED_SHOES')
    const redShoes = both((c) => {
      const [r, d] = [c.header.indexOf('red'), c.header.indexOf('dress')]
      return c.rows.filter((row) => row[r] === '1' && row[d] !== '1' && (row[pathCol] ?? '').toLowerCase().includes('red_shoes')).length
    })
    expect(redShoes).toBeGreaterThan(0)
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(redShoes))
    expect(page.url()).toContain('has=red')
    expect(page.url()).toContain('lacks=dress')

    await page.reload()
    await ready(page)
    await expect(page.getByTestId('filter-label-dress')).toHaveAttribute('data-state', 'lacks')
    await expect(page.getByTestId('search')).toHaveValue('RED_SHOES')
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(redShoes))

    await page.getByTestId('filter-clear').click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(all))
  })

  await test.step('declare the suggested label groups; list the images that break them', async () => {
    await page.getByTestId('open-groups-top').click()
    await page.getByTestId('groups-suggest').click()
    await page.getByTestId('groups-save').click()
    await expect(page.getByTestId('groups-dialog')).toBeHidden()
    const violating = both((c) =>
      c.rows.filter((row) =>
        [COLOURS, GARMENTS].some((g) => g.filter((l) => row[c.header.indexOf(l)] === '1').length !== 1),
      ).length,
    )
    await page.getByTestId('filter-violations').click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(violating))
    await page.getByTestId('filter-violations').click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(all))
  })

  // The first image's colour is swapped by keyboard; its row is checked in the exported CSV at the end.
  let editedPath = ''
  let editedId = ''
  let oldColour = ''
  let newColour = ''

  await test.step('editor: one key per label, the group keeps one colour, J/K and arrows move', async () => {
    await page.getByTestId('tile').first().click()
    await page.keyboard.press('Enter')
    const editor = page.getByTestId('editor')
    await expect(editor).toBeVisible()
    editedId = (await editor.getAttribute('data-image-id')) ?? ''
    editedPath = (await page.getByTestId('editor-path').textContent()) ?? ''
    oldColour = COLOURS.find((l) => cell(train, editedPath, l) === '1') ?? ''
    expect(oldColour).not.toBe('')
    newColour = oldColour === 'green' ? 'white' : 'green'
    await expect(page.getByTestId(`toggle-${oldColour}`)).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId(`toggle-${newColour}`)).toContainText(KEYS[newColour] ?? '?')

    await page.keyboard.press(KEYS[newColour] ?? '')
    await expect(page.getByTestId(`toggle-${newColour}`)).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId(`toggle-${oldColour}`)).toHaveAttribute('aria-pressed', 'false')
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
    await page.screenshot({ path: path.join(screenshotsDir, 'editor.png') })

    await page.keyboard.press('j')
    await expect(editor).not.toHaveAttribute('data-image-id', editedId)
    await page.keyboard.press('ArrowLeft')
    await expect(editor).toHaveAttribute('data-image-id', editedId)
    await page.keyboard.press('ArrowRight')
    await expect(editor).not.toHaveAttribute('data-image-id', editedId)
    await page.keyboard.press('k')
    await expect(editor).toHaveAttribute('data-image-id', editedId)
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('grid')).toBeVisible()
  })

  const valShoes = countOnes(val, 'shoes')
  const valCount = val.rows.length

  await test.step('bulk: Ctrl+A in the val split, set "shoes" on all as one step; undo and redo it', async () => {
    await page.getByTestId('filter-split-val').click()
    await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(valCount))
    await page.getByTestId('grid').focus()
    await page.keyboard.press('Control+a')
    await expect(page.getByTestId('selection-count')).toHaveText(`${valCount} selected`)
    await page.getByTestId('bulk-label').selectOption('shoes')
    await page.getByTestId('bulk-set').click()
    await expect(countOf(page, 'shoes')).toContainText(`${valCount} / `)
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
    // "shoes" joined the garments group: the other garments were cleared in the same step.
    await expect(countOf(page, 'dress')).toContainText('0 / ')

    await page.keyboard.press('Control+z')
    await expect(countOf(page, 'shoes')).toContainText(`${valShoes} / `)
    await expect(page.getByTestId('last-edit')).toContainText('Undid')
    await page.keyboard.press('Control+Shift+z')
    await expect(countOf(page, 'shoes')).toContainText(`${valCount} / `)
    await page.keyboard.press('Control+z')
    await expect(countOf(page, 'shoes')).toContainText(`${valShoes} / `)
    await page.keyboard.press('Control+y')
    await expect(countOf(page, 'shoes')).toContainText(`${valCount} / `)
  })

  await test.step('reload: the edits were saved in the project', async () => {
    await page.reload()
    await ready(page)
    await expect(page.getByTestId('filter-split-val')).toHaveAttribute('aria-pressed', 'true')
    await expect(countOf(page, 'shoes')).toContainText(`${valCount} / `)
    await page.getByTestId('filter-clear').click()
    const address = new URL(page.url())
    address.hash = `image=${editedId}`
    await page.goto(address.toString())
    await expect(page.getByTestId('editor')).toHaveAttribute('data-image-id', editedId)
    await expect(page.getByTestId(`toggle-${newColour}`)).toHaveAttribute('aria-pressed', 'true')
    await expect(page.getByTestId(`toggle-${oldColour}`)).toHaveAttribute('aria-pressed', 'false')
    await page.keyboard.press('Escape')
  })

  await test.step('export: only the edited cells differ on disk', async () => {
    await page.getByTestId('open-export').click()
    await expect(page.getByTestId('export-summary')).toHaveAttribute('data-state', 'ready')
    const garmentsCleared = GARMENTS.filter((g) => g !== 'shoes').reduce((n, g) => n + countOnes(val, g), 0)
    const cells = 2 + (valCount - valShoes) + garmentsCleared
    await expect(page.getByTestId('export-cells')).toHaveText(String(cells))
    const outDir = path.join(server().dir, 'out')
    await page.getByTestId('export-dir').fill(outDir)
    await page.getByTestId('export-run').click()
    await expect(page.getByTestId('export-files')).toContainText('train.csv')
    await expect(page.getByTestId('export-files')).toContainText('val.csv')

    const outTrain = await readCsv(path.join(outDir, 'train.csv'))
    const outVal = await readCsv(path.join(outDir, 'val.csv'))
    expect(cell(outTrain, editedPath, newColour)).toBe('1')
    expect(cell(outTrain, editedPath, oldColour)).toBe('0')
    const changedTrain = outTrain.lines.filter((l, i) => l !== train.lines[i])
    expect(changedTrain).toHaveLength(1)
    expect(changedTrain[0]).toContain(editedPath)

    expect(outVal.lines[0]).toBe(val.lines[0])
    expect(outVal.rows).toHaveLength(valCount)
    for (const [i, row] of outVal.rows.entries()) {
      const before = val.rows[i] ?? []
      for (const [c, name] of outVal.header.entries()) {
        const expected = name === 'shoes' ? '1' : GARMENTS.includes(name) ? '0' : before[c]
        expect(row[c], `val.csv row ${i + 2} column ${name}`).toBe(expected)
      }
    }
    await page.getByTestId('panel-close').click()
    await expect(page.getByTestId('export-dialog')).toBeHidden()
  })
})

test('undo and redo are enabled by the edit log; the selection moves to another split', async ({ page }) => {
  const valCount = val.rows.length
  await page.goto(server().url)
  await ready(page)
  // The edits of the test before are in the log: undo can act, redo cannot (its last step was a redo).
  await expect(page.getByTestId('undo')).toBeEnabled()
  await expect(page.getByTestId('redo')).toBeDisabled()
  await page.getByTestId('undo').click()
  await expect(page.getByTestId('redo')).toBeEnabled()
  await page.getByTestId('redo').click()
  await expect(page.getByTestId('redo')).toBeDisabled()

  await page.getByTestId('filter-split-val').click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(valCount))
  await page.getByTestId('tile').nth(0).click()
  await page.getByTestId('tile').nth(2).click({ modifiers: ['Shift'] })
  await expect(page.getByTestId('selection-count')).toHaveText('3 selected')
  await page.getByTestId('bulk-split').selectOption('test')
  await page.getByTestId('bulk-split-apply').click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(valCount - 3))
  await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
  await expect(page.getByTestId('last-edit')).toHaveText('Moved 3 images to test')

  await page.reload()
  await ready(page)
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(valCount - 3))
  await page.getByTestId('filter-split-val').click()
  await page.getByTestId('filter-split-test').click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', '3')
})

test('start screen: import errors are shown as they are; an import shows its report', async ({ page }) => {
  await page.goto(server().url)
  await ready(page)
  await page.getByTestId('close-project').click()
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'start')
  await expect(page.getByTestId('recent')).toContainText(path.basename(server().project))

  const missing = path.join(server().dir, 'nope.csv')
  await page.getByTestId('import-csvs').fill(missing)
  await page.getByTestId('import-submit').click()
  const error = page.getByTestId('error')
  await expect(error).toBeVisible()
  await expect(error).toHaveAttribute('data-code', /^[A-Z_]+$/)
  await expect(page.getByTestId('error-message')).toContainText('nope.csv')

  await page.getByTestId('import-csvs').fill([path.join(server().dir, 'train.csv'), path.join(server().dir, 'val.csv')].join('\n'))
  await page.getByTestId('import-project').fill(path.join(server().dir, 'second.tagsmith'))
  await page.getByTestId('import-submit').click()
  await ready(page)
  const report = page.getByTestId('import-report')
  await expect(report).toContainText(`Imported ${(train.rows.length + val.rows.length).toLocaleString('en-US')} rows`)
  await expect(page.getByTestId('report-missing')).toHaveText('0')
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(train.rows.length + val.rows.length))
})
