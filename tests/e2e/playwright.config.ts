import { defineConfig } from '@playwright/test'

// Browser tests run in the system's Chromium against web mode (`tagsmith serve`, project 'web') and against the
// built desktop app (project 'desktop': out/main in Node with a stand-in Electron, out/preload in the page,
// out/renderer from file://; see tests/desktop/harness). Build first (`npx electron-vite build`).
const chromiumArgs = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  outputDir: '../../test-results/playwright',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 860 },
    deviceScaleFactor: 1,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: { executablePath, args: chromiumArgs },
  },
  projects: [
    { name: 'web', testIgnore: /desktop-.*\.spec\.ts$/ },
    {
      name: 'desktop',
      testMatch: /(review|train|predictions|desktop-.*)\.spec\.ts$/,
      // Electron lets its file:// page load ES module scripts; plain Chromium needs this switch for that.
      use: { launchOptions: { executablePath, args: [...chromiumArgs, '--allow-file-access-from-files'] } },
    },
  ],
})
