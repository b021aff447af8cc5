import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import type { Plugin } from 'vite'

// The migration runner reads numbered .sql files beside the code that runs it; the bundle needs them too.
function copyMigrations(): Plugin {
  return {
    name: 'tagsmith-copy-migrations',
    writeBundle() {
      cpSync(resolve('src-main/core/db/migrations'), resolve('out/main/migrations'), { recursive: true })
    },
  }
}

// Three builds: the Electron main process, the sandboxed preload (CommonJS: sandboxed preloads cannot be
// ES modules) and the Vue renderer, which web mode serves as well.
export default defineConfig({
  main: {
    plugins: [copyMigrations()],
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve('src-main/electron/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: true,
      rollupOptions: {
        input: { index: resolve('src-preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [vue()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
})
