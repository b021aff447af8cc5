import type { Locator, Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import path from 'node:path'
import { screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// The grid at an everyday window size (1280×720), in web mode on 40 + 10 apparel images: selecting never
// moves a tile (the bulk bar floats), so a double-click opens the editor on the first try and Enter opens
// the clicked image; with a side panel docked the bar folds into "More ▾" instead of overflowing; a tile's
// context menu sets a label on the image right-clicked.

test.use({ viewport: { width: 1280, height: 720 } })

const server = serveForSuite(() => serveApparelSubset({ train: 40, val: 10 }))
const LABELS = ['black', 'blue', 'brown', 'green', 'red', 'white', 'dress', 'shirt', 'pants', 'shorts', 'shoes']

const tile = (page: Page, n: number): Locator => page.getByTestId('tile').nth(n)
const editor = (page: Page): Locator => page.getByTestId('editor')

async function backToGridWithNothingSelected(page: Page): Promise<void> {
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('grid')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByTestId('bulk-bar')).toBeHidden()
}

test('selecting keeps tiles still; double-click, Enter and the context menu act on the clicked image', async ({ page }) => {
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', '50')

  await test.step('double-click on a top-row tile opens the editor on the first try', async () => {
    const id = await tile(page, 2).getAttribute('data-id')
    await tile(page, 2).dblclick()
    await expect(editor(page)).toHaveAttribute('data-image-id', id ?? '')
    await backToGridWithNothingSelected(page)
  })

  await test.step('the bulk bar appearing does not move the first tile', async () => {
    const before = await tile(page, 0).boundingBox()
    await tile(page, 1).click()
    await expect(page.getByTestId('selection-count')).toHaveText('1 selected')
    expect(await tile(page, 0).boundingBox()).toEqual(before)
  })

  await test.step('click-select then Enter opens the clicked image', async () => {
    const id = await tile(page, 3).getAttribute('data-id')
    await tile(page, 3).click()
    await page.keyboard.press('Enter')
    await expect(editor(page)).toHaveAttribute('data-image-id', id ?? '')
    await backToGridWithNothingSelected(page)
  })

  await test.step('a docked panel: the bar stays one line and folds actions into More', async () => {
    await page.getByTestId('open-health').click()
    await expect(page.getByTestId('health-panel')).toBeVisible()
    await tile(page, 0).click()
    await tile(page, 2).click({ modifiers: ['Shift'] })
    const bar = page.getByTestId('bulk-bar')
    await expect(page.getByTestId('selection-count')).toHaveText('3 selected')
    await expect(bar).not.toHaveAttribute('data-folded', '0')
    const fits = await bar.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.clientHeight < 60)
    expect(fits).toBe(true)
    await page.getByTestId('bulk-more').click()
    await expect(page.getByTestId('bulk-more-menu').getByTestId('selection-clear')).toBeVisible()
    await page.screenshot({ path: path.join(screenshotsDir, 'grid-bulk-bar-docked-1280.png') })
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('bulk-more-menu')).toBeHidden()
    await expect(page.getByTestId('selection-count')).toHaveText('3 selected')

    // Narrower still (1100 px with the panel docked): the count and More stay whole; Set is in the menu.
    await page.setViewportSize({ width: 1100, height: 800 })
    await expect(page.getByTestId('bulk-more')).toBeInViewport({ ratio: 1 })
    expect(await bar.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.clientHeight < 60)).toBe(true)
    await page.getByTestId('bulk-more').click()
    await expect(page.getByTestId('bulk-set')).toBeInViewport({ ratio: 1 })
    await page.screenshot({ path: path.join(screenshotsDir, 'grid-bulk-bar-docked-1100.png') })
    await page.keyboard.press('Escape')
    await page.setViewportSize({ width: 1280, height: 720 })
  })

  await test.step('right-click selects the tile and its menu sets a label on it', async () => {
    const target = tile(page, 5)
    const id = (await target.getAttribute('data-id')) ?? ''
    const has = ((await target.getAttribute('aria-label')) ?? '').split(': ')[1]?.split(', ') ?? []
    const label = LABELS.find((l) => !has.includes(l)) ?? ''
    await target.click({ button: 'right' })
    await expect(page.getByTestId('selection-count')).toHaveText('1 selected')
    await expect(page.getByTestId('tile-menu')).toBeVisible()
    await expect(page.getByTestId('tile-menu-reveal')).toHaveCount(0) // web mode has no file manager to show
    await page.keyboard.press('ArrowDown') // from "Open in editor" to "Set label"
    await page.keyboard.press('ArrowRight')
    await expect(page.getByTestId('tile-menu-set-menu')).toBeVisible()
    await page.screenshot({ path: path.join(screenshotsDir, 'grid-tile-menu-1280.png') })
    await page.getByTestId(`tile-menu-set-${label}`).click()
    await expect(page.getByTestId('tile-menu')).toBeHidden()
    await expect(page.locator(`[data-testid="tile"][data-id="${id}"]`)).toHaveAttribute('aria-label', new RegExp(`\\b${label}\\b`))
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')

    // From the keyboard: Shift+F10 opens it on the cursor's tile, Escape closes it and keeps the selection.
    await page.keyboard.press('Shift+F10')
    await expect(page.getByTestId('tile-menu')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('tile-menu')).toBeHidden()
    await expect(page.getByTestId('selection-count')).toHaveText('1 selected')
  })
})
