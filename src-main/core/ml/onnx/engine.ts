// Runs a converted backbone with ONNX Runtime's CPU execution provider. By default the session lives
// in a worker thread: a run blocks the thread that calls it, and the main thread must stay free to
// keep sharp decoding the next batches while this one is inferred.
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { InferenceSession } from 'onnxruntime-node'
import { TagsmithError } from '../../errors.ts'
import { FEATURES_NAME, INPUT_NAME, type InputLayout } from './convert.ts'
import type { OrtWorkerData, OrtWorkerReply, OrtWorkerRequest } from './ort-worker-messages.ts'

const requireHere = createRequire(import.meta.url)

export interface ModelInputShape {
  height: number
  width: number
  channels: number
}

/** Anything that turns a batch of model-ready pixels into one feature vector per image. */
export interface BatchFeatureExtractor {
  readonly inputShape: ModelInputShape
  readonly inputLayout: InputLayout
  readonly featureLength: number
  /** what runs it, for the UI and the CLI, e.g. 'ONNX Runtime 1.30.0, CPU, 2 threads' */
  readonly device: string
  /**
   * `pixels` holds `count` images in inputLayout; returns count × featureLength values, image by
   * image. With `handOver`, the engine may take the pixel buffer instead of copying it (it is
   * detached afterwards), which saves a copy per batch.
   */
  run(pixels: Float32Array, count: number, opts?: { handOver?: boolean; extra?: ExtraInputs }): Promise<Float32Array>
  dispose(): Promise<void>
}

export interface OnnxEngineOptions {
  /** intra-op threads (default: every core this process may use) */
  threads?: number
  /** run the session in a worker thread (default true) */
  worker?: boolean
}

export interface OnnxModelInfo {
  /** .onnx file path, or its bytes */
  model: string | Uint8Array
  inputShape: ModelInputShape
  inputLayout: InputLayout
  /** values per image in the output */
  featureLength: number
  /** the graph output to read (default 'features') */
  outputName?: string
  /** further graph inputs after the image (an exported classifier's colour statistics, a second image), each image's values in `shape` */
  extraInputs?: ReadonlyArray<{ name: string; shape: readonly number[] }>
}

/** Values of further inputs for a run, in `extraInputs` order: count images' values each. */
export type ExtraInputs = readonly Float32Array[]

export function defaultThreads(): number {
  return Math.max(1, os.availableParallelism())
}

/**
 * Session settings: all graph optimisations (Conv+BN+Clip fusion, channel-blocked layouts), one
 * sequential stream, and no spin-waiting in the intra-op pool, whose busy loops would take the
 * cores that image decoding shares.
 */
export function sessionOptions(threads: number): InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  }
}

export function onnxRuntimeVersion(): string {
  const pkg = requireHere('onnxruntime-node/package.json') as { version?: string }
  return pkg.version ?? 'unknown'
}

export async function openOnnxExtractor(info: OnnxModelInfo, opts: OnnxEngineOptions = {}): Promise<BatchFeatureExtractor> {
  const threads = opts.threads ?? defaultThreads()
  const device = `ONNX Runtime ${onnxRuntimeVersion()}, CPU, ${threads} thread${threads === 1 ? '' : 's'}`
  const run = opts.worker === false ? await inThreadRunner(info, threads) : await workerRunner(info, threads)
  const { height, width, channels } = info.inputShape
  const perImage = height * width * channels
  return {
    inputShape: info.inputShape,
    inputLayout: info.inputLayout,
    featureLength: info.featureLength,
    device,
    async run(pixels: Float32Array, count: number, runOpts: { handOver?: boolean; extra?: ExtraInputs } = {}): Promise<Float32Array> {
      if (count < 1 || pixels.length !== count * perImage) {
        throw new TagsmithError('INTERNAL', `ONNX engine: ${pixels.length} values do not hold ${count} images of ${perImage}`)
      }
      const dims = info.inputLayout === 'NCHW' ? [count, channels, height, width] : [count, height, width, channels]
      const whole = pixels.byteOffset === 0 && pixels.byteLength === pixels.buffer.byteLength
      const extra = (info.extraInputs ?? []).map((input, k) => {
        const values = runOpts.extra?.[k]
        const per = input.shape.reduce((a, b) => a * b, 1)
        if (values?.length !== count * per) throw new TagsmithError('INTERNAL', `ONNX engine: input ${input.name} needs ${count * per} values, got ${String(values?.length)}`)
        return { name: input.name, data: values.slice(), dims: [count, ...input.shape] }
      })
      const out = await run.run(runOpts.handOver && whole ? pixels : pixels.slice(), dims, extra)
      if (out.length !== count * info.featureLength) {
        throw new TagsmithError('INTERNAL', `ONNX engine: got ${out.length} feature values for ${count} images of ${info.featureLength}`)
      }
      return out
    },
    dispose: run.dispose,
  }
}

interface ExtraTensor {
  name: string
  data: Float32Array
  dims: number[]
}

interface Runner {
  run(pixels: Float32Array, dims: number[], extra: ExtraTensor[]): Promise<Float32Array>
  dispose(): Promise<void>
}

async function inThreadRunner(info: OnnxModelInfo, threads: number): Promise<Runner> {
  const ort = await import('onnxruntime-node')
  const outputName = info.outputName ?? FEATURES_NAME
  const session =
    typeof info.model === 'string'
      ? await ort.InferenceSession.create(info.model, sessionOptions(threads))
      : await ort.InferenceSession.create(info.model, sessionOptions(threads))
  return {
    async run(pixels, dims, extra) {
      const feeds = Object.fromEntries([[INPUT_NAME, new ort.Tensor('float32', pixels, dims)], ...extra.map((e) => [e.name, new ort.Tensor('float32', e.data, e.dims)] as const)])
      const out = await session.run(feeds, [outputName])
      const t = out[outputName]
      if (!t) throw new TagsmithError('INTERNAL', `ONNX engine: the model gave no '${outputName}' output`)
      return new Float32Array(t.data as Float32Array)
    },
    dispose: () => session.release(),
  }
}

/**
 * The session's worker thread: ort-worker.js, built beside this code (out/main), or from the sources
 * ort-worker.ts, which a worker can run only once it has registered tsx itself (ts-worker.mjs).
 */
function ortWorker(workerData: OrtWorkerData): Worker {
  const built = path.join(import.meta.dirname, 'ort-worker.js')
  if (fs.existsSync(built)) return new Worker(built, { workerData })
  const source = pathToFileURL(path.join(import.meta.dirname, 'ort-worker.ts')).href
  return new Worker(path.join(import.meta.dirname, 'ts-worker.mjs'), { workerData, argv: [source] })
}

async function workerRunner(info: OnnxModelInfo, threads: number): Promise<Runner> {
  const worker = ortWorker({ model: info.model, options: sessionOptions(threads) })
  const pending = new Map<number, { resolve: (v: Float32Array) => void; reject: (e: Error) => void }>()
  let nextId = 0
  let dead: Error | null = null
  const failAll = (err: Error): void => {
    dead ??= err
    for (const p of pending.values()) p.reject(err)
    pending.clear()
  }

  await new Promise<void>((resolve, reject) => {
    const onMessage = (msg: OrtWorkerReply): void => {
      if (msg.type === 'ready') resolve()
      else if (msg.type === 'failed') reject(new TagsmithError('UNAVAILABLE', `ONNX Runtime could not load the model: ${msg.message}`))
    }
    worker.once('message', onMessage)
    worker.once('error', (err) => reject(new TagsmithError('UNAVAILABLE', `ONNX Runtime worker failed to start: ${err.message}`)))
  })

  worker.on('message', (msg: OrtWorkerReply) => {
    if (msg.type !== 'result' && msg.type !== 'error') return
    const p = pending.get(msg.id)
    if (!p) return
    pending.delete(msg.id)
    if (msg.type === 'result') p.resolve(msg.data)
    else p.reject(new TagsmithError('INTERNAL', `ONNX Runtime: ${msg.message}`))
  })
  worker.on('error', (err) => failAll(new TagsmithError('INTERNAL', `ONNX Runtime worker crashed: ${err.message}`)))
  worker.on('exit', (code) => failAll(new TagsmithError('INTERNAL', `ONNX Runtime worker exited (code ${code})`)))

  return {
    run(pixels, dims, extra) {
      if (dead) return Promise.reject(dead)
      const id = nextId++
      return new Promise<Float32Array>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        // The batch buffer moves to the worker instead of being copied.
        const request: OrtWorkerRequest = { type: 'run', id, pixels, dims, inputName: INPUT_NAME, outputName: info.outputName ?? FEATURES_NAME, ...(extra.length > 0 ? { extra } : {}) }
        worker.postMessage(request, [pixels.buffer as ArrayBuffer, ...extra.map((e) => e.data.buffer as ArrayBuffer)])
      })
    },
    async dispose() {
      if (dead) return
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
      worker.postMessage({ type: 'close' } satisfies OrtWorkerRequest)
      await exited
    },
  }
}
