import type { Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import path from 'node:path'
import { screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// Suggested label groups in web mode on 60 train + 30 val apparel images (one colour and one garment each):
// the Groups dialog lists both with their figures and one click declares one; the Health panel and the
// report of a new import list what is left, with the same one-click accept.

const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']
const IMAGES = 90

const server = serveForSuite(() => serveApparelSubset({ train: 60, val: 30 }))

test.describe.configure({ mode: 'serial' })

const ready = (page: Page) => expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')

/** The labels picked in a group of the Groups dialog. */
const pickedIn = (page: Page, n: number) => page.getByTestId(`group-${n}`).locator('button.pick[aria-pressed="true"]')

test('Groups dialog: a suggestion accepted by a click is declared', async ({ page }) => {
  await page.goto(server().url)
  await ready(page)
  await page.getByTestId('open-groups-top').click()
  const list = page.getByTestId('groups-suggestions')
  await expect(list).toHaveAttribute('data-state', 'ready')
  await expect(list).toHaveAttribute('data-count', '2')
  await expect(list).toContainText('up to 1 % of those images may break it')
  const first = page.getByTestId('groups-suggestion-0')
  await expect(first).toHaveAttribute('data-labels', COLOURS.join(','))
  await expect(first).toContainText(`${COLOURS.join(' · ')}: ${IMAGES} images, 0 violations`)
  await expect(page.getByTestId('groups-suggestion-1')).toContainText(`${GARMENTS.join(' · ')}: ${IMAGES} images, 0 violations`)
  await page.screenshot({ path: path.join(screenshotsDir, 'groups-suggestions.png') })

  // Offered with a name, which can be changed before Accept.
  await expect(page.getByTestId('groups-suggestion-name-0')).toHaveValue('colour')
  await page.getByTestId('groups-suggestion-name-0').fill('colours')
  await page.getByTestId('groups-suggestion-accept-0').click()
  await expect(list).toHaveAttribute('data-count', '1')
  await expect(first).toHaveAttribute('data-labels', GARMENTS.join(','))
  await expect(pickedIn(page, 0)).toHaveText(COLOURS)
  await expect(page.getByTestId('group-name-0')).toHaveValue('colours')

  // Declared by the service, not only shown: a fresh page has the group and suggests only the garments.
  await page.reload()
  await ready(page)
  await page.getByTestId('open-groups-top').click()
  await expect(pickedIn(page, 0)).toHaveText(COLOURS)
  await expect(page.getByTestId('group-1')).toHaveCount(0)
  await expect(list).toHaveAttribute('data-count', '1')
  await expect(first).toHaveAttribute('data-labels', GARMENTS.join(','))
  await expect(page.getByTestId('group-name-0')).toHaveValue('colours')

  // The filter panel lists the group by its name; its violations are one click, and Back undoes the click.
  await page.getByTestId('groups-dialog').getByRole('button', { name: 'Cancel' }).click()
  const chip = page.getByTestId('filter-group-0')
  await expect(chip).toContainText('colours')
  await expect(chip).toHaveAttribute('data-count', '0')
  await page.getByTestId('filter-split-val').click()
  await chip.click()
  await expect(page.getByTestId('filter-ids')).toContainText('Only 0: not exactly one of colours')
  await expect(page.getByTestId('filter-back')).toHaveAttribute('title', /^Back to: val/)
  await page.keyboard.press('Alt+ArrowLeft')
  await expect(page.getByTestId('filter-ids')).toHaveCount(0)
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', '30')
  await expect(page.getByTestId('filter-back')).toHaveAttribute('title', /^Back to: all images/)
  await page.getByTestId('filter-back').click()
  await expect(page.getByTestId('grid')).toHaveAttribute('data-count', String(IMAGES))
  await expect(page.getByTestId('filter-back')).toBeDisabled()
})

test('Health panel: the suggestion left is accepted there and its violations are counted', async ({ page }) => {
  await page.goto(server().url)
  await ready(page)
  await page.getByTestId('open-health').click()
  const panel = page.getByTestId('health-panel')
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
  await expect(page.getByTestId('health-groups').locator('tr')).toHaveCount(1)
  const list = page.getByTestId('health-suggestions')
  await expect(list).toHaveAttribute('data-count', '1')
  await expect(page.getByTestId('health-suggestion-0')).toContainText(`${GARMENTS.join(' · ')}: ${IMAGES} images, 0 violations`)

  await page.getByTestId('health-suggestion-accept-0').click()
  await expect(list).toHaveAttribute('data-count', '0')
  await expect(list).toContainText('No groups suggested')
  await page.screenshot({ path: path.join(screenshotsDir, 'health-suggestions.png') })
  await expect(panel).toHaveAttribute('data-state', 'ready', { timeout: 60_000 })
  await expect(page.getByTestId('health-groups').locator('tr')).toHaveCount(2)
  await expect(page.getByTestId('health-groups').locator(`tr[data-group="${GARMENTS.join(',')}"]`)).toHaveCount(1)
  await expect(page.getByTestId('health-violations-1')).toHaveAttribute('data-count', '0')
})

test('import: the report offers the suggested groups, one click declares one', async ({ page }) => {
  await page.goto(server().url)
  await ready(page)
  await page.getByTestId('close-project').click()
  await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'start')
  await page.getByTestId('import-csvs').fill([path.join(server().dir, 'train.csv'), path.join(server().dir, 'val.csv')].join('\n'))
  await page.getByTestId('import-project').fill(path.join(server().dir, 'second.tagsmith'))
  await page.getByTestId('import-submit').click()
  await ready(page)
  await expect(page.getByTestId('import-report')).toBeVisible()
  const list = page.getByTestId('import-suggestions')
  await expect(list).toHaveAttribute('data-count', '2')
  await page.screenshot({ path: path.join(screenshotsDir, 'import-suggestions.png') })

  await page.getByTestId('import-suggestion-accept-1').click()
  await expect(list).toHaveAttribute('data-count', '1')
  await expect(page.getByTestId('import-suggestion-0')).toHaveAttribute('data-labels', COLOURS.join(','))
  await page.getByTestId('open-groups-top').click()
  await expect(pickedIn(page, 0)).toHaveText(GARMENTS)

  await page.getByTestId('groups-dialog').getByRole('button', { name: 'Cancel' }).click()
  await expect(page.getByTestId('groups-dialog')).toBeHidden()

  // With every suggestion taken, the report no longer shows the list.
  await page.getByTestId('import-suggestion-accept-0').click()
  await expect(list).toHaveCount(0)
  await page.getByTestId('open-groups-top').click()
  await expect(pickedIn(page, 1)).toHaveText(COLOURS)
})
