import { test as base } from '@playwright/test'
import { currentApp } from './fixture-server.ts'

export { expect } from '@playwright/test'

/** Playwright's test, whose page is made the desktop app's window when a suite drives the desktop app. */
export const test = base.extend({
  page: async ({ page }, use) => {
    await currentApp()?.attach(page)
    await use(page)
  },
})
