import type { Route } from '@playwright/test'
import { expect, test } from './support/test.ts'
import { serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// Web mode on 30 + 6 apparel images: the project's thumbnails are made in the background after it opens,
// and while a tile's thumbnail is on its way the tile shows the image's colours; once it has loaded, the
// thumbnail alone.

test.use({ viewport: { width: 1280, height: 720 } })

const server = serveForSuite(() => serveApparelSubset({ train: 30, val: 6 }))

test('a tile shows its image colours until its thumbnail arrives', async ({ page }) => {
  // Thumbnails are held back until the test lets them through.
  const held: Route[] = []
  let holding = true
  await page.route(/\/image\/\d+\/thumb/, (route) => (holding ? void held.push(route) : route.continue()))
  await page.goto(server().url)
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')

  const thumb = page.getByTestId('tile-thumb').first()
  // The colours come with the background job's end (or at once, when it ended before the page asked).
  await expect(thumb).toHaveAttribute('style', /linear-gradient\(rgb\(\d+, \d+, \d+\), rgb/, { timeout: 30_000 })
  expect(await thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(0)
  await expect(page.getByTestId('background-job')).toBeHidden()

  holding = false
  for (const route of held.splice(0)) await route.continue()
  await expect.poll(() => thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0)
  await expect(thumb).not.toHaveAttribute('style', /gradient/)
})
