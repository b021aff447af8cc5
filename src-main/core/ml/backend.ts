import { createRequire } from 'node:module'
import path from 'node:path'
import os from 'node:os'
import type { BackendInfo } from '../../../src-preload/contract.ts'
import { TagsmithError } from '../errors.ts'
import { tf } from './tf.ts'

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'

// What initBackend answers is the contract's BackendInfo: the backend in use, the device doing the maths and
// each backend tried before it, named as BackendName names them.
export type { BackendInfo }

const ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']
let chosen: Promise<BackendInfo> | null = null

function message(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err)
}

// Native packages are optional dependencies; their names live in variables so bundlers and the type
// checker do not require them to be installed.
async function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name)
}

async function tryNativeGpu(): Promise<string> {
  await importOptional('@tensorflow/tfjs-node-gpu')
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend did not initialise')
  // The GPU build falls back to the CPU silently when CUDA is missing: ask TensorFlow which devices it sees.
  const backend = tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } }
  if (!backend.binding?.isUsingGpuDevice?.()) throw new Error('no CUDA device visible to TensorFlow')
  return 'CUDA GPU'
}

async function tryNative(): Promise<string> {
  await importOptional('@tensorflow/tfjs-node')
  if (!(await tf.setBackend('tensorflow'))) throw new Error('tensorflow backend did not initialise')
  return 'CPU (native TensorFlow)'
}

async function tryWasm(): Promise<string> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  if (typeof process !== 'undefined' && process.versions?.node) {
    // In Node the .wasm files are read from the package's dist folder, never fetched.
    const require = createRequire(import.meta.url)
    const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))
    wasm.setWasmPaths(dist + path.sep)
  }
  try {
    wasm.setThreadsCount(Math.max(1, Math.min(4, os.cpus().length)))
  } catch {
    // threads only apply before the first initialisation
  }
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise')
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  const threads = wasm.getThreadsCount()
  return `CPU (WASM${simd ? ' SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'})`
}

async function tryCpu(): Promise<string> {
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not initialise')
  return 'CPU (JavaScript)'
}

const ATTEMPTS: Record<BackendName, () => Promise<string>> = {
  'tensorflow-gpu': tryNativeGpu,
  tensorflow: tryNative,
  wasm: tryWasm,
  cpu: tryCpu,
}

/**
 * Pick the fastest backend that works here, once per process: native TensorFlow with CUDA, native
 * TensorFlow on the CPU, WASM, then plain JavaScript. `only` restricts the candidates (e.g. to force
 * 'cpu' in a test); the answer lists every candidate that failed and why.
 */
export function initBackend(opts: { only?: BackendName[] } = {}): Promise<BackendInfo> {
  if (chosen && !opts.only) return chosen
  const candidates = opts.only ?? (process.env.TAGSMITH_BACKEND ? (process.env.TAGSMITH_BACKEND.split(',') as BackendName[]) : ORDER)
  const attempt = (async (): Promise<BackendInfo> => {
    const tried: BackendInfo['tried'] = []
    for (const name of candidates) {
      const run = ATTEMPTS[name]
      if (!run) {
        tried.push({ name, error: 'unknown backend' })
        continue
      }
      try {
        const device = await run()
        return { backend: tf.getBackend(), device, tried }
      } catch (err) {
        tried.push({ name, error: message(err) })
      }
    }
    throw new TagsmithError('UNAVAILABLE', `no TensorFlow.js backend works here: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`)
  })()
  chosen = attempt
  return attempt
}
