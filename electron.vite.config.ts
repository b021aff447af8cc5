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
      rollupOptions: {
        // Job modules run in forked child processes, so each is an entry of its own. Everything lands flat in
        // out/main, where the runner looks for them beside itself (import.meta.dirname).
        input: {
          index: resolve('src-main/electron/index.ts'),
          worker: resolve('src-main/core/jobs/worker.ts'),
          'kinds/extract': resolve('src-main/core/jobs/kinds/extract.ts'),
          'kinds/train': resolve('src-main/core/jobs/kinds/train.ts'),
          'kinds/predict': resolve('src-main/core/jobs/kinds/predict.ts'),
          'kinds/export-model': resolve('src-main/core/jobs/kinds/export-model.ts'),
          'backend-job': resolve('src-main/core/service/backend-job.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
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
