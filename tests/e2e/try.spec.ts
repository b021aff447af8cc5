import fs from 'node:fs'
import path from 'node:path'
import { expect, test } from './support/test.ts'
import { fixturesRoot, screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { sidewaysOverflow } from './support/overflow.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// The Try panel (web mode) on a project of 20 train + 10 val apparel images trained by the CLI (3 epochs)
// with colour and garment groups: images chosen with the file chooser are labelled by the active run, one
// colour and one garment each, with a bar per label; a file that is not an image is named in its row.
// The panel fits the dock at 1280x720 without scrolling sideways. Add to project puts one image in the
// project with those labels, as an undoable step.
const COLOURS = 'black,blue,brown,green,red,white'
const GARMENTS = 'dress,shirt,pants,shorts,shoes'

const server = serveForSuite(() =>
  serveApparelSubset({ train: 20, val: 10 }, { cliBeforeServe: [['train', '--epochs', '3', '--seed', '1'], ['groups', COLOURS, GARMENTS]] }),
)

/** Images of apparel-mini the project does not hold (val rows past the subset). */
function outsideImages(n: number): string[] {
  const lines = fs.readFileSync(path.join(fixturesRoot, 'apparel-mini', 'val.csv'), 'utf8').split(/\r?\n/).filter((l) => l.length > 0)
  const col = (lines[0] ?? '').split(',').indexOf('image')
  return lines.slice(-n).map((l) => path.join(fixturesRoot, 'apparel-mini', l.split(',')[col] ?? ''))
}

test('Try: chosen images are labelled by the active run with groups decided; a text file is named; one is added to the project', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  await page.getByTestId('open-try').click()
  const panel = page.getByTestId('try-panel')
  await expect(panel).toBeVisible()
  await expect(page.getByTestId('try-run').locator('option').first()).toHaveText('Active (run 1)')

  const images = outsideImages(2)
  await page.getByTestId('try-file').setInputFiles([
    ...images.map((f) => ({ name: path.basename(f), mimeType: 'image/jpeg', buffer: fs.readFileSync(f) })),
    { name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image\n') },
  ])
  const rows = page.getByTestId('try-row')
  await expect(rows).toHaveCount(3)
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
  // Newest first: the text file tops the list, named in its message.
  await expect(rows.nth(0)).toHaveAttribute('data-state', 'error')
  await expect(rows.nth(0).getByTestId('try-error')).toContainText('notes.jpg: not a recognised image format')
  for (const [i, file] of images.toReversed().entries()) {
    const row = rows.nth(i + 1)
    await expect(row).toHaveAttribute('data-state', 'done')
    await expect(row).toHaveAttribute('data-name', path.basename(file))
    await expect(row.getByTestId('try-bar')).toHaveCount(11)
    // One colour and one garment: both groups decide.
    const decided = ((await row.getAttribute('data-labels')) ?? '').split(',')
    expect(decided).toHaveLength(2)
    expect(COLOURS.split(',')).toContain(decided[0])
    expect(GARMENTS.split(',')).toContain(decided[1])
    const t = row.getByTestId('try-timings')
    const ms = await t.evaluate((el) => ['decode', 'features', 'head'].map((k) => Number(el.getAttribute(`data-${k}`))))
    test.info().annotations.push({ type: `${path.basename(file)} decode/features/head ms`, description: ms.join(' / ') })
  }

  // Nothing scrolls sideways or passes the window's edge.
  expect(await sidewaysOverflow(page)).toEqual([])
  await page.screenshot({ path: path.join(screenshotsDir, 'try-panel.png') })

  // Add to project: the image is copied into the project with its decided labels, as one undoable step.
  const first = rows.nth(1)
  const labels = (await first.getAttribute('data-labels')) ?? ''
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', '30')
  await first.getByTestId('try-add').click()
  await expect(first.getByTestId('try-added')).toHaveText(`Added as added/${path.basename(images[1] ?? '')}`)
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', '31')
  await expect(page.getByTestId('undo')).toBeEnabled()
  // Its tile carries the labels the panel decided.
  const name = path.basename(images[1] ?? '')
  await page.getByTestId('search').fill(name)
  await expect(page.getByTestId('tile')).toHaveCount(1)
  await expect(page.getByTestId('tile')).toHaveAttribute('aria-label', `${name}: ${labels.split(',').join(', ')}`)
})
