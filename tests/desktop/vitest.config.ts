import { defineConfig } from 'vitest/config'

// Tests of the built desktop bundles (out/main, out/preload, out/renderer): run after `npm run build:app`.
export default defineConfig({
  test: {
    root: '.',
    include: ['tests/desktop/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
