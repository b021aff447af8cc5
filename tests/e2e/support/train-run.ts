import { expect, test, type Page } from '@playwright/test'

/**
 * Opens the app at `url` and trains a short run from the Train panel, waiting until the run is done:
 * the start of every browser test that needs a model.
 */
export async function trainShortRun(page: Page, url: string, epochs: number): Promise<void> {
  await test.step('train a short run from the Train panel', async () => {
    await page.goto(url)
    await expect(page.getByTestId('app')).toHaveAttribute('data-state', 'ready')
    await page.getByTestId('open-train').click()
    await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', /^(wasm|tensorflow|cpu)$/, { timeout: 60_000 })
    await page.getByTestId('train-epochs').fill(String(epochs))
    await page.getByTestId('train-start').click()
    await expect(page.getByTestId('train-panel')).toHaveAttribute('data-phase', 'done', { timeout: 400_000 })
  })
}
