import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Unit and integration tests run in Node; renderer store tests need no DOM.
export default defineConfig({
  plugins: [vue()],
  test: {
    root: '.',
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
