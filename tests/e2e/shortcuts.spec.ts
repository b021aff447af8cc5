import type { Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import path from 'node:path'
import { screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// The keyboard shortcut sheet and files dropped on the window, in web mode on a few apparel-mini images.

const server = serveForSuite(() => serveApparelSubset({ train: 12, val: 4 }))

/** Dispatches dragover and drop carrying `files` (or text) on the grid; answers whether the page took the drop. */
function dropOnGrid(page: Page, what: { files: string[] } | { text: string }): Promise<boolean> {
  // Runs in the page (this Node-side file has no DOM types): the script names what it uses.
  const script = `(() => {
    const what = ${JSON.stringify(what)}
    const data = new DataTransfer()
    if (what.files) for (const name of what.files) data.items.add(new File(['x'], name, { type: 'image/jpeg' }))
    else data.setData('text/plain', what.text)
    const grid = document.querySelector('[data-testid="grid"]')
    grid.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }))
    const drop = new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true })
    grid.dispatchEvent(drop)
    return drop.defaultPrevented
  })()`
  return page.evaluate(script) as Promise<boolean>
}

/** True when the focused element is inside the shortcut sheet. */
const focusInSheet = (page: Page): Promise<boolean> =>
  page.evaluate('document.activeElement?.closest(\'[data-testid="shortcut-sheet"]\') !== null') as Promise<boolean>

test('? lists the keys of the view; files dropped on a project are offered for adding and the page stays', async ({ page }) => {
  const sheet = page.getByTestId('shortcut-sheet')
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')

  await test.step('the status bar opens the sheet on the grid keys; Esc closes it and the focus comes back', async () => {
    const entry = page.getByTestId('open-shortcuts')
    await entry.click()
    await expect(sheet).toBeVisible()
    await expect(sheet).toContainText('Grid')
    await expect(sheet.locator('kbd[data-chord="Ctrl+A"]')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(sheet).toBeHidden()
    await expect(entry).toBeFocused()
  })

  await test.step('? in the editor lists each label key with the label, and Tab stays in the sheet', async () => {
    await page.getByTestId('tile').first().dblclick()
    await expect(page.getByTestId('editor')).toBeVisible()
    await page.keyboard.press('?')
    await expect(sheet).toBeVisible()
    await expect(sheet.locator('dt:has(kbd[data-chord="1"]) + dd')).toHaveText('turn black on or off')
    await expect(sheet.locator('dt:has(kbd[data-chord="Q"]) + dd')).toHaveText('turn shoes on or off')
    await expect(sheet.locator('kbd[data-chord="J"]')).toBeVisible()
    await page.setViewportSize({ width: 1280, height: 720 })
    await page.screenshot({ path: path.join(screenshotsDir, 'shortcut-sheet-editor.png') })
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab')
      expect(await focusInSheet(page)).toBe(true)
    }
    await page.keyboard.press('Escape')
    await expect(sheet).toBeHidden()
    // Esc closed the sheet only: the editor is still open.
    await expect(page.getByTestId('editor')).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('grid')).toBeVisible()
  })

  await test.step('? typed into the search field is a character, not the sheet', async () => {
    await page.getByTestId('search').click()
    await page.keyboard.press('?')
    await expect(page.getByTestId('search')).toHaveValue('?')
    await expect(sheet).toBeHidden()
    await page.getByTestId('search').fill('')
  })

  await test.step('files dropped on the grid: the page stays, the Add images dialog lists them', async () => {
    const url = page.url()
    expect(await dropOnGrid(page, { files: ['a.jpg', 'b.png', 'c.webp'] })).toBe(true)
    await expect(page.getByTestId('add-uploads')).toHaveText(/a\.jpg\s*b\.png\s*c\.webp/)
    await expect(page.getByTestId('add-run')).toHaveText('Add 3 images')
    expect(page.url()).toBe(url)
    await expect(page.getByTestId('grid')).toBeVisible()
    await page.getByTestId('add-images').getByRole('button', { name: 'Close', exact: true }).click()
    await expect(page.getByTestId('add-images')).toBeHidden()
    // Dragged text is not the window's business.
    expect(await dropOnGrid(page, { text: 'red dress' })).toBe(false)
    await expect(page.getByTestId('add-images')).toBeHidden()
  })
})
