import type { Page } from '@playwright/test'
import path from 'node:path'
import { expect, test } from './support/test.ts'
import { screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// The Labels dialog in web mode on 12 apparel images: a label added (0 on every image) shows in the filter
// panel and the editor, Undo takes it away again; a rename shows under the new name in the filter panel, the
// filter set on it follows, and the editor toggles it by its new name; a taken name is refused beside the field.

const server = serveForSuite(() => serveApparelSubset({ train: 8, val: 4 }))

const ready = (page: Page) => expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')

test('Labels dialog: add a label and undo it, rename one; the grid, editor and filters use the new names', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 })
  await page.goto(server().url)
  await ready(page)
  await page.getByTestId('open-labels').click()
  const dialog = page.getByTestId('labels-dialog')
  await expect(dialog.getByTestId('labels-row-0')).toHaveAttribute('data-label', 'black')

  await dialog.getByTestId('labels-add-name').fill('hat')
  await dialog.getByTestId('labels-add-value').selectOption('0')
  await dialog.getByTestId('labels-add').click()
  await expect(dialog.getByTestId('labels-row-11')).toHaveAttribute('data-label', 'hat')
  await expect(page.getByTestId('filter-label-hat')).toBeVisible()
  await expect(page.getByTestId('last-edit')).toHaveText('Label added')

  // A name taken in another case is refused beside the field, naming it.
  await dialog.getByTestId('labels-add-name').fill('RED')
  await dialog.getByTestId('labels-add').click()
  await expect(dialog.getByTestId('labels-add-error')).toHaveText('a label named "RED" already exists (as "red")')
  await page.screenshot({ path: path.join(screenshotsDir, 'labels-dialog.png') })

  await dialog.getByTestId('labels-close').click()
  await expect(page.getByTestId('save-state')).not.toHaveAttribute('data-state', 'error')
  await page.keyboard.press('Control+z')
  await expect(page.getByTestId('filter-label-hat')).toHaveCount(0)

  // Filter on red, then rename it: the filter follows to the new name and keeps showing the same images.
  await page.getByTestId('filter-label-red').click()
  const shown = await page.getByTestId('grid').getAttribute('data-count')
  await page.getByTestId('open-labels').click()
  await dialog.getByTestId('labels-rename-4').click()
  await dialog.getByTestId('labels-rename-input').fill('crimson')
  await dialog.getByTestId('labels-rename-save').click()
  await expect(dialog.getByTestId('labels-row-4')).toHaveAttribute('data-label', 'crimson')
  await dialog.getByTestId('labels-close').click()
  await expect(page.getByTestId('filter-label-red')).toHaveCount(0)
  await expect(page.getByTestId('filter-label-crimson')).toHaveAttribute('data-state', 'has')
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', shown ?? '')
  await expect(page.getByTestId('filter-panel')).toContainText('crimson')

  // The editor shows the renamed label among the image's labels.
  await page.getByTestId('tile').first().dblclick()
  await expect(page.getByTestId('toggle-crimson')).toBeVisible()
  await expect(page.getByTestId('toggle-red')).toHaveCount(0)
})
