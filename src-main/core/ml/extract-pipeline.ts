// Feature extraction as a pipeline: sharp decodes and resizes the next batches on libuv threads while
// the engine infers the current one. Memory stays bounded: at most `prefetchBatches` batches are
// decoded ahead of the engine. Images that fail to decode are reported and skipped, never fatal. This is
// the app's one extraction loop: extract.ts runs it over the images the feature cache lacks.
import { TagsmithError } from '../errors.ts'
import { normalise, type Normalisation } from '../images/decode.ts'
import { defaultImageConcurrency } from '../images/open.ts'
import type { BatchFeatureExtractor } from './onnx/engine.ts'

/** Images done (extracted or failed) of those asked for; rate and time left are the job table's. */
export interface Progress {
  done: number
  total: number
}

/** What the pipeline needs of an engine. */
export type PipelineExtractor = Pick<BatchFeatureExtractor, 'inputShape' | 'inputLayout' | 'featureLength' | 'run'>

export interface ExtractOptions {
  extractor: PipelineExtractor
  /** size×size×3 RGB bytes (HWC) of one image at the model's input size, e.g. decodeRgb with the backbone's size and fit */
  decode: (src: string) => Promise<Uint8Array>
  normalisation: Normalisation
  /** images per engine call (default 16) */
  batchSize?: number
  /** batches decoded ahead of the engine (default 2) */
  prefetchBatches?: number
  /** images decoded at once (default: what the libuv pool and the cores allow) */
  decodeConcurrency?: number
  signal?: AbortSignal
  onProgress?: (p: Progress) => void
  /** one call per image that decoded, in input order; the array is a view valid only during the call unless copied */
  onFeatures: (index: number, features: Float32Array) => void | Promise<void>
  /** after the last onFeatures of each batch, before its progress: where a caller commits the batch */
  onBatchEnd?: () => void | Promise<void>
  /** one call per image that could not be decoded */
  onFailure?: (index: number, error: unknown) => void
}

export interface ExtractSummary {
  total: number
  extracted: number
  failed: number
  seconds: number
  imagesPerSecond: number
}

interface PreparedBatch {
  indices: number[]
  pixels: Float32Array
}

export async function extractInBatches(sources: readonly string[], opts: ExtractOptions): Promise<ExtractSummary> {
  const { extractor, signal } = opts
  const total = sources.length
  const batchSize = Math.max(1, Math.floor(opts.batchSize ?? 16))
  const prefetch = Math.max(0, Math.floor(opts.prefetchBatches ?? 2))
  const batches = Math.ceil(total / batchSize)
  const started = performance.now()
  // Stops decodes not yet started on cancel, and on any error that ends the run early.
  const stop = new AbortController()
  const forwardAbort = (): void => stop.abort()
  signal?.addEventListener('abort', forwardAbort, { once: true })
  const limit = limiter(Math.max(1, opts.decodeConcurrency ?? defaultImageConcurrency() + 1), stop.signal)
  let done = 0
  let extracted = 0
  let failed = 0

  const report = (): void => opts.onProgress?.({ done, total })
  const cancelled = (): TagsmithError => new TagsmithError('CANCELLED', `cancelled after ${done} of ${total} images`)

  if (signal?.aborted) {
    signal.removeEventListener('abort', forwardAbort)
    throw cancelled()
  }
  const prepare = (b: number): Promise<PreparedBatch> => {
    const p = prepareBatch(sources, b * batchSize, Math.min(total, (b + 1) * batchSize), extractor, opts, limit)
    p.catch(() => undefined) // awaited in order below; a batch abandoned by a cancel must not count as unhandled
    return p
  }
  const queue: Promise<PreparedBatch>[] = []
  const settleQueue = async (): Promise<void> => {
    await Promise.allSettled(queue)
  }
  for (let b = 0; b < Math.min(batches, prefetch + 1); b++) queue.push(prepare(b))
  const { aborted: abortPromise, release } = abortAsPromise(signal)

  try {
    for (let b = 0; b < batches; b++) {
      const batch = await Promise.race([queue.shift() as Promise<PreparedBatch>, abortPromise])
      const batchFailures = Math.min(total, (b + 1) * batchSize) - b * batchSize - batch.indices.length
      failed += batchFailures
      done += batchFailures
      if (batch.indices.length > 0) {
        const run = extractor.run(batch.pixels, batch.indices.length, { handOver: true })
        run.catch(() => undefined) // a run still going when the user cancels is dropped, not reported
        const features = await Promise.race([run, abortPromise])
        const f = extractor.featureLength
        for (let i = 0; i < batch.indices.length; i++) {
          await opts.onFeatures(batch.indices[i] as number, features.subarray(i * f, (i + 1) * f))
        }
        extracted += batch.indices.length
        done += batch.indices.length
      }
      await opts.onBatchEnd?.()
      if (signal?.aborted) throw cancelled()
      // The next batch starts decoding only once this one is done, so the batch in the engine plus the
      // `prefetch` decoded ahead of it are all that is ever held.
      if (b + prefetch + 1 < batches) queue.push(prepare(b + prefetch + 1))
      report()
    }
  } catch (err) {
    stop.abort()
    await settleQueue()
    if (signal?.aborted) throw cancelled()
    throw err
  } finally {
    release()
    signal?.removeEventListener('abort', forwardAbort)
  }
  const seconds = (performance.now() - started) / 1000
  return { total, extracted, failed, seconds, imagesPerSecond: seconds > 0 ? extracted / seconds : 0 }
}

async function prepareBatch(
  sources: readonly string[],
  from: number,
  to: number,
  extractor: PipelineExtractor,
  opts: ExtractOptions,
  limit: <T>(task: () => Promise<T>) => Promise<T>,
): Promise<PreparedBatch> {
  const { height, width, channels } = extractor.inputShape
  const perImage = height * width * channels
  const decoded = await Promise.all(
    Array.from({ length: to - from }, async (_, k) => {
      const index = from + k
      try {
        const rgb = await limit(() => opts.decode(sources[index] as string))
        if (rgb.length !== perImage) throw new TagsmithError('INTERNAL', `decoder gave ${rgb.length} values, the model takes ${perImage}`)
        return { index, rgb }
      } catch (err) {
        if (err instanceof TagsmithError && err.code === 'CANCELLED') throw err
        opts.onFailure?.(index, err)
        return null
      }
    }),
  )
  const ok = decoded.filter((d): d is { index: number; rgb: Uint8Array } => d !== null)
  const pixels = new Float32Array(ok.length * perImage)
  const scratch = extractor.inputLayout === 'NCHW' ? new Float32Array(perImage) : null
  ok.forEach((d, slot) => {
    const dest = pixels.subarray(slot * perImage, (slot + 1) * perImage)
    if (!scratch) {
      normalise(d.rgb, opts.normalisation, dest)
      return
    }
    normalise(d.rgb, opts.normalisation, scratch)
    hwcToChw(scratch, dest, height, width, channels)
  })
  return { indices: ok.map((d) => d.index), pixels }
}

export function hwcToChw(src: Float32Array, dest: Float32Array, height: number, width: number, channels: number): void {
  const plane = height * width
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) dest[c * plane + p] = src[p * channels + c] as number
  }
}

/** At most `n` tasks at once; once the signal aborts, tasks not yet started reject with CANCELLED. */
function limiter(n: number, signal: AbortSignal | undefined): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0
  const waiting: Array<() => void> = []
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve))
    active++
    try {
      if (signal?.aborted) throw new TagsmithError('CANCELLED', 'cancelled')
      return await task()
    } finally {
      active--
      waiting.shift()?.()
    }
  }
}

/** A promise that never resolves and rejects when the signal aborts; `release` drops the listener. */
function abortAsPromise(signal: AbortSignal | undefined): { aborted: Promise<never>; release: () => void } {
  let fire = (): void => undefined
  const aborted = new Promise<never>((_, reject) => {
    fire = () => reject(new TagsmithError('CANCELLED', 'cancelled'))
  })
  aborted.catch(() => undefined)
  if (signal?.aborted) fire()
  else signal?.addEventListener('abort', fire, { once: true })
  return { aborted, release: () => signal?.removeEventListener('abort', fire) }
}
