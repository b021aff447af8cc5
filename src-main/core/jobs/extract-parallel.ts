import os from 'node:os'
import { TagsmithError } from '../errors.ts'
import { extractProcessesFor } from '../ml/backbones/engine-choice.ts'
import type { ExtractJobInput, ExtractJobResult } from './kinds/extract.ts'
import { runJob, type JobCounts } from './run-job.ts'

/**
 * How many extraction processes to run. The WASM backend uses one core per process in Node, so one
 * process per core (up to 4) keeps every core busy; a native TensorFlow backend threads by itself, and
 * TAGSMITH_EXTRACT_WORKERS overrides either.
 */
export function defaultExtractWorkers(): number {
  const fromEnv = Number(process.env.TAGSMITH_EXTRACT_WORKERS)
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv
  return Math.max(1, Math.min(4, os.availableParallelism()))
}

/** Processes for an engine: one for an engine that threads by itself (ONNX Runtime, native TensorFlow), else one per core. */
export function extractWorkersFor(input: Pick<ExtractJobInput, 'engine'>): number {
  const fromEnv = Number(process.env.TAGSMITH_EXTRACT_WORKERS)
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return fromEnv
  return input.engine ? extractProcessesFor(input.engine, defaultExtractWorkers()) : defaultExtractWorkers()
}

/**
 * Feature extraction split over several child processes, each taking every n-th distinct image and
 * committing its own batches (so cancel and resume behave as with one). Progress is summed; the first
 * failure cancels the other shards and is the one reported.
 */
export async function extractInParallel(
  input: ExtractJobInput,
  opts: { workers?: number; onProgress?: (p: JobCounts) => void; signal?: AbortSignal } = {},
): Promise<ExtractJobResult> {
  const unique = [...new Map(input.images.map((img) => [img.hash, img])).values()]
  const workers = Math.max(1, Math.min(opts.workers ?? extractWorkersFor(input), Math.ceil(unique.length / 8) || 1))
  const shards = Array.from({ length: workers }, (_, w) => unique.filter((_, i) => i % workers === w))
  const latest: Array<JobCounts | undefined> = shards.map(() => undefined)
  const report = (): void => {
    const seen = latest.filter((p): p is JobCounts => p !== undefined)
    const dl = seen.filter((p) => p.phase === 'download')
    if (dl.length > 0) {
      opts.onProgress?.({ phase: 'download', done: Math.max(...dl.map((p) => p.done)), total: Math.max(...dl.map((p) => p.total)) })
      return
    }
    // Summed once every shard has reported: a shard's first report counts images cached before it
    // started, which must not show as work done since the sum's first report.
    if (seen.length < latest.length) return
    opts.onProgress?.({ phase: 'extract', done: seen.reduce((s, p) => s + p.done, 0), total: unique.length })
  }
  const stop = new AbortController()
  const onAbort = (): void => stop.abort()
  opts.signal?.addEventListener('abort', onAbort, { once: true })
  if (opts.signal?.aborted) stop.abort()
  let firstError: unknown
  try {
    const results = await Promise.all(
      shards.map((images, w) =>
        runJob('extract', { ...input, images }, {
          signal: stop.signal,
          onProgress: (p) => {
            latest[w] = p
            report()
          },
        }).catch((err: unknown) => {
          // The first real failure wins over the CANCELLED errors it causes in the other shards.
          if (firstError === undefined) firstError = err
          stop.abort()
          throw err
        }),
      ),
    ).catch(() => {
      throw firstError instanceof Error ? firstError : new TagsmithError('INTERNAL', String(firstError))
    })
    const [first] = results
    if (!first) throw new TagsmithError('INTERNAL', 'no extraction shard ran')
    return {
      ...first,
      dim: results.find((r) => r.computed > 0 || r.cached > 0)?.dim ?? first.dim,
      total: results.reduce((s, r) => s + r.total, 0),
      cached: results.reduce((s, r) => s + r.cached, 0),
      computed: results.reduce((s, r) => s + r.computed, 0),
      skipped: results.flatMap((r) => r.skipped),
      seconds: Math.max(...results.map((r) => r.seconds)),
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort)
  }
}
