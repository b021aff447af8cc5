import { cpSync } from 'node:fs'
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'
import type { Plugin } from 'vite'
import { JOB_KINDS } from './src-main/core/jobs/registry.ts'

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
        // Job modules run in child processes and ONNX Runtime sessions in a worker thread, so each is an entry of
        // its own: the job worker, the resident worker (resident-job.ts), every kind of the registry as
        // kinds/<kind>.js, and ort-worker.js. Chunks land flat in out/main, where the code that starts them looks
        // beside itself (import.meta.dirname).
        input: {
          index: resolve('src-main/electron/index.ts'),
          worker: resolve('src-main/core/jobs/worker.ts'),
          'resident-worker': resolve('src-main/core/jobs/resident-worker.ts'),
          'ort-worker': resolve('src-main/core/ml/onnx/ort-worker.ts'),
          ...Object.fromEntries(JOB_KINDS.map((kind) => [`kinds/${kind}`, resolve(`src-main/core/jobs/kinds/${kind}.ts`)])),
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
