import type { Page } from '@playwright/test'
import { expect, test } from './support/test.ts'
import path from 'node:path'
import { screenshotsDir, serveForSuite } from './support/fixture-server.ts'
import { serveApparelSubset } from './support/subset-server.ts'

// Training from the browser in web mode, on 90 train + 30 val images of apparel-mini: the backend is
// named, extraction progress shows, the loss chart gains one point per epoch as events arrive, labels
// can be edited meanwhile, and the run's metrics table closes it.

const TRAIN = 90
const VAL = 30
const EPOCHS = 5

const server = serveForSuite(() => serveApparelSubset({ train: TRAIN, val: VAL }))

/** Records every value the chart's data-epochs attribute takes, in the page, from now on. */
async function recordChartEpochs(page: Page): Promise<void> {
  await page.evaluate(() => {
    // Runs in the page; this Node-side file has no DOM types, so it names what it uses.
    const g = globalThis as unknown as {
      document: { body: object }
      MutationObserver: new (cb: (records: Array<{ target: { getAttribute(n: string): string | null } }>) => void) => {
        observe(node: object, options: object): void
      }
      chartEpochs: string[]
    }
    g.chartEpochs = []
    new g.MutationObserver((records) => {
      for (const r of records) g.chartEpochs.push(r.target.getAttribute('data-epochs') ?? '')
    }).observe(g.document.body, { subtree: true, attributes: true, attributeFilter: ['data-epochs'] })
  })
}

/** What the page recorded while training ran (see recordTraining). */
interface TrainingRecord {
  /** Every distinct state of the train progress line: "phase|total|text". */
  progress: string[]
  /** Every value the train panel's data-phase took. */
  phases: string[]
  /** The train panel's data-phase each time the save indicator turned "saved". */
  phaseWhenSaved: string[]
}

/**
 * Records, in the page from now on, the progress line's states, the train panel's phases and the phase at each
 * "saved": a short run can end before a poll from here sees a state, so the test reads what the page saw.
 */
async function recordTraining(page: Page): Promise<void> {
  await page.evaluate(() => {
    interface El {
      getAttribute(n: string): string | null
      textContent: string | null
    }
    const g = globalThis as unknown as {
      document: { body: object; querySelector(s: string): El | null }
      MutationObserver: new (cb: () => void) => { observe(node: object, options: object): void }
      training: TrainingRecord
    }
    const record: TrainingRecord = { progress: [], phases: [], phaseWhenSaved: [] }
    g.training = record
    let saveState = g.document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') ?? ''
    const sample = (): void => {
      const panel = g.document.querySelector('[data-testid="train-panel"]')?.getAttribute('data-phase') ?? ''
      if (record.phases.at(-1) !== panel) record.phases.push(panel)
      const bar = g.document.querySelector('[data-testid="train-progress"]')
      if (bar) {
        const line = `${bar.getAttribute('data-phase') ?? ''}|${bar.getAttribute('data-total') ?? ''}|${bar.textContent ?? ''}`
        if (record.progress.at(-1) !== line) record.progress.push(line)
      }
      const state = g.document.querySelector('[data-testid="save-state"]')?.getAttribute('data-state') ?? ''
      if (state === 'saved' && saveState !== 'saved') record.phaseWhenSaved.push(panel)
      saveState = state
    }
    sample()
    new g.MutationObserver(sample).observe(g.document.body, { subtree: true, childList: true, characterData: true, attributes: true })
  })
}

const recorded = (page: Page): Promise<TrainingRecord> =>
  page.evaluate(() => (globalThis as unknown as { training: TrainingRecord }).training)

test('train from the Train panel and watch the epochs arrive', async ({ page }) => {
  test.setTimeout(600_000)
  const panel = page.getByTestId('train-panel')
  const chart = page.getByTestId('loss-chart')
  let pressed = 0

  await test.step('open the project and the Train panel; the backend and device are named', async () => {
    await page.goto(server().url)
    await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
    await page.getByTestId('open-train').click()
    await expect(panel).toBeVisible()
    await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', /^(wasm|tensorflow|cpu)$/, { timeout: 60_000 })
    await expect(page.getByTestId('train-backend')).toContainText(/CPU|GPU/)
    // Feature extraction and the head are named apart, by the engine names the picker uses.
    await expect(page.getByTestId('train-engine-features')).toHaveText(/^(ONNX Runtime|TensorFlow native|TF\.js WASM|TF\.js plain JavaScript) \((CPU|GPU)\)$/)
    await expect(page.getByTestId('train-engine-head')).toHaveText(/^(TensorFlow native|TF\.js WASM|TF\.js plain JavaScript)$/)
    await page.getByTestId('train-epochs').fill(String(EPOCHS))
  })

  await test.step('the preset picker: Default is chosen; Accurate and one backbone alone bring their own settings', async () => {
    const preset = page.getByTestId('train-preset')
    const hint = page.getByTestId('train-preset-hint')
    await expect(preset).toHaveValue('default')
    await expect(hint).toContainText(/colour statistics/i)
    await page.getByTestId('train-settings').getByText('Advanced', { exact: true }).click()
    const hidden = await page.getByTestId('train-hidden-units').inputValue()
    await preset.selectOption('accurate')
    await expect(hint).toContainText(/InceptionV3/)
    await expect(page.getByTestId('train-backbone')).toHaveCount(0)
    await preset.selectOption('')
    await expect(hint).toHaveCount(0)
    await expect(page.getByTestId('train-backbone')).toHaveValue('nsfwjs-mobilenetv2')
    // One backbone alone takes the engine's head defaults: a linear head.
    await expect(page.getByTestId('train-hidden-units')).toHaveValue('0')
    await preset.selectOption('default')
    await expect(page.getByTestId('train-hidden-units')).toHaveValue(hidden)
    await page.getByTestId('train-epochs').fill(String(EPOCHS))
    await page.screenshot({ path: path.join(screenshotsDir, 'train-presets.png') })
  })

  await test.step('press Train, and right away a label edit is saved while training runs', async () => {
    await recordChartEpochs(page)
    await recordTraining(page)
    pressed = Date.now()
    await page.getByTestId('train-start').click()
    await expect.poll(async () => (await recorded(page)).phases).toContain('running')
    // The edit goes in during feature extraction: the rest of the app stays usable while a run trains.
    await page.getByTestId('tile').first().click()
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('editor')).toBeVisible()
    const toggle = page.getByTestId('toggle-black')
    const before = await toggle.getAttribute('aria-pressed')
    await page.keyboard.press('1')
    await expect(toggle).toHaveAttribute('aria-pressed', before === 'true' ? 'false' : 'true')
    await expect(page.getByTestId('save-state')).toHaveAttribute('data-state', 'saved')
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('grid')).toBeVisible()
    // Saved while the run was still going: an edit held back until training ended would be saved at 'done'.
    expect((await recorded(page)).phaseWhenSaved).toEqual(['running'])
  })

  await test.step('feature extraction showed done/total, img/s and time left', async () => {
    const line = new RegExp(`^extract\\|${TRAIN + VAL}\\|.*\\d+ / ${TRAIN + VAL} images · [\\d.]+ img/s · .+ left`)
    await expect.poll(async () => (await recorded(page)).progress.some((p) => line.test(p)), { timeout: 120_000 }).toBe(true)
    await page.screenshot({ path: path.join(screenshotsDir, 'train-extracting.png') })
  })

  await test.step('the loss chart gains one point per epoch, then the metrics table shows', async () => {
    await expect(chart).toHaveAttribute('data-epochs', String(EPOCHS), { timeout: 300_000 })
    await expect(panel).toHaveAttribute('data-phase', 'done')
    const seconds = (Date.now() - pressed) / 1000
    const seen = await page.evaluate(() => (globalThis as unknown as { chartEpochs: string[] }).chartEpochs)
    // Every epoch was drawn on its own: 1, 2, 3, … — never two at once, never re-drawn from zero.
    expect(seen.filter((v) => v !== '0')).toEqual(Array.from({ length: EPOCHS }, (_, i) => String(i + 1)))
    test.info().annotations.push({ type: 'train seconds (press to done)', description: seconds.toFixed(1) })

    const table = page.getByTestId('metrics-table')
    await expect(table).toBeVisible()
    await expect(table).toHaveAttribute('data-run', /^\d+$/)
    await expect(table).toContainText(`Validation · ${VAL} images`)
    await expect(page.getByTestId('metric-exact')).toContainText(/\d+\.\d%/)
    for (const key of ['hamming', 'macro-f1', 'micro-f1', 'map']) await expect(page.getByTestId(`metric-${key}`)).toContainText(/\d+\.\d%/)
    await expect(page.getByTestId('metrics-per-label').locator('tbody tr')).toHaveCount(11)
    await expect(page.getByTestId('train-ended')).toContainText(/Run \d+ stored/)
    await expect(page.getByTestId('train-runs')).toHaveAttribute('data-count', '1')
    // The only run is the active one; the table says its rule, as the Predictions panel decides.
    await expect(table).toHaveAttribute('data-live', 'true')
    await expect(page.getByTestId('metrics-rule')).toHaveText('Decision: every label at 0.50')
    const run = await table.getAttribute('data-run')
    await expect(page.getByTestId(`pin-run-${run}`)).toHaveText('Active')
    await expect(page.getByTestId('train-runs').locator(`tr[data-run="${run}"] .backbone`)).toHaveText('Default')
    await page.getByTestId('train-runs').scrollIntoViewIfNeeded()
    await page.screenshot({ path: path.join(screenshotsDir, 'train-metrics-rule.png') })
    await page.screenshot({ path: path.join(screenshotsDir, 'train-done.png') })
  })
})
