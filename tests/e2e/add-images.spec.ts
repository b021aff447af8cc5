import { copyFile, mkdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { expect, test } from './support/test.ts'
import { fixturesRoot, screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// Adding images in web mode: one uploaded through "Add images…"'s file chooser, one by a typed path, in
// one step that undo takes out and redo puts back.

const server = serveForSuite(() => serveApparelSubset({ train: 6, val: 2 }))

/** A fixture image no subset row uses (rows far down train.csv), copied to `to`. */
async function spareImage(row: number, to: string): Promise<string> {
  const source = path.join(fixturesRoot, 'apparel-mini')
  const line = (await readFile(path.join(source, 'train.csv'), 'utf8')).split('\n')[row] ?? ''
  await mkdir(path.dirname(to), { recursive: true })
  await copyFile(path.join(source, line.split(',')[1] ?? ''), to)
  return to
}

test('adds an uploaded file and a typed path as one step; undo and redo take them out and back', async ({ page }) => {
  const { dir, url } = server()
  const typed = await spareImage(300, path.join(dir, 'new', 'typed.jpg'))
  const upload = await spareImage(301, path.join(dir, '..', `${path.basename(dir)}-upload`, 'picked.jpg'))
  const status = page.getByTestId('status-bar')
  await page.goto(url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  await expect(status).toContainText('8 / 8 images')

  await page.getByTestId('topbar-more').click()
  await page.getByTestId('open-add-images').click()
  const dialog = page.getByTestId('add-images')
  await dialog.getByTestId('add-files').setInputFiles(upload)
  await expect(dialog.getByTestId('add-uploads')).toHaveText('picked.jpg')
  await dialog.getByTestId('add-paths').fill(typed)
  await expect(dialog.getByTestId('add-run')).toHaveText('Add 2 images')
  await dialog.getByTestId('add-run').click()
  await expect(dialog.getByTestId('add-count')).toHaveText('2')
  await expect(status).toContainText('10 / 10 images')
  await expect(page.getByTestId('tile')).toHaveCount(10)
  await page.screenshot({ path: path.join(screenshotsDir, 'add-images.png') })
  await dialog.getByRole('button', { name: 'Close', exact: true }).click()
  // Paths are written as the CSV writes its own (./ first); the upload went into the images folder's added/.
  const tile = (p: string) => page.locator(`[data-testid="tile"][title="${p}"]`)
  await expect(tile('./new/typed.jpg')).toHaveCount(1)
  await expect(tile('./added/picked.jpg')).toHaveCount(1)

  await page.getByTestId('undo').click()
  await expect(status).toContainText('8 / 8 images')
  await expect(tile('./new/typed.jpg')).toHaveCount(0)
  await page.getByTestId('redo').click()
  await expect(status).toContainText('10 / 10 images')
  await expect(tile('./added/picked.jpg')).toHaveCount(1)
})
