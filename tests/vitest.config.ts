import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Unit and integration tests run in Node; renderer store tests need no DOM.
export default defineConfig({
  plugins: [vue()],
  test: {
    root: '.',
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts', 'tests/contract/**/*.test.ts'],
    environment: 'node',
    // One PostgreSQL cluster for the run (TAGSMITH_TEST_PG=off runs without it): see tests/support/postgres-cluster.ts.
    globalSetup: ['tests/support/postgres-global-setup.ts'],
    pool: 'forks',
    // Two files at a time even on 2 cores, where vitest's default (cores - 1) runs one: the integration
    // tests took 313 s instead of 398 s, as their files wait on child processes and the disk.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
