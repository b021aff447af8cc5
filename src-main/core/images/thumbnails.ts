import { randomBytes } from 'node:crypto'
import { mkdir, rename, stat, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { TagsmithError } from '../errors.ts'
import { describeSource, explainFailure, ImageError, type ImageFault } from './failure.ts'
import { defaultImageConcurrency, openImage, type ImageLimits, type ImageSource } from './open.ts'
import { runPool, type Progress } from './pool.ts'
import sharp from 'sharp'
import { appendTint, tintOf, tintOfPixels, tintsFile } from './tints.ts'

export const DEFAULT_THUMBNAIL_SIZE = 256
export const DEFAULT_THUMBNAIL_QUALITY = 80
// WebP effort 4 (sharp's default) took 1.3-1.5× the time of effort 2 on the fixture photos for
// the same size (~2.1 KB per thumbnail); effort 0 is no faster and 30% bigger.
const WEBP_EFFORT = 2

export interface ThumbnailSettings {
  /** Longest side in pixels (default 256); smaller images are scaled up so the grid is uniform. */
  size?: number
  /** WebP quality 1-100 (default 80). */
  quality?: number
  limits?: ImageLimits
}

/**
 * Cache layout: <cacheDir>/<first 2 hex of hash>/<hash>-<size>.webp. Keyed by content, so a
 * renamed or moved image keeps its thumbnail and an edited one gets a new one.
 */
export function thumbnailPath(cacheDir: string, hash: string, size: number = DEFAULT_THUMBNAIL_SIZE): string {
  const key = checkHash(hash)
  return path.join(cacheDir, key.slice(0, 2), `${key}-${checkSize(size)}.webp`)
}

/**
 * The cached thumbnail of one image, made on first request. Throws ImageError (BAD_INPUT) naming
 * the file when the image is missing, damaged or over the pixel limit.
 */
export async function thumbnailFor(
  src: ImageSource,
  hash: string,
  cacheDir: string,
  size: number = DEFAULT_THUMBNAIL_SIZE,
  settings: Omit<ThumbnailSettings, 'size'> = {},
): Promise<string> {
  return (await ensureThumbnail(src, hash, cacheDir, { ...settings, size })).file
}

export interface ThumbnailItem {
  id: number
  path: string
  hash: string
}

export interface ThumbnailFailure {
  id: number
  path: string
  status: ImageFault['status']
  reason: string
}

export interface ThumbnailBatchOptions extends ThumbnailSettings {
  cacheDir: string
  /** Images in flight at once (default: defaultImageConcurrency()). */
  concurrency?: number
  onProgress?: (p: Progress) => void
  /** Minimum milliseconds between progress reports (default 100); the first and last always come. */
  progressIntervalMs?: number
  signal?: AbortSignal
  /**
   * Also record the tint of thumbnails found already cached (those made before tints were). For callers
   * that pass only images lacking a thumbnail or a tint, as the background job does: a tint is otherwise
   * recorded only when its thumbnail is made.
   */
  fillTints?: boolean
}

export interface ThumbnailBatchResult {
  /** Items handled, failed ones included. */
  done: number
  /** Thumbnails encoded by this run. */
  generated: number
  /** Thumbnails that were already in the cache. */
  cached: number
  failed: ThumbnailFailure[]
}

/**
 * Fills the cache for many images in parallel. A bad image becomes an entry in `failed` and never
 * stops the batch. Rejects with CANCELLED when the signal aborts (thumbnails already written stay
 * valid, so the next run resumes), or with BAD_INPUT when the cache folder cannot be written.
 */
export async function generateThumbnails(
  items: readonly ThumbnailItem[],
  opts: ThumbnailBatchOptions,
): Promise<ThumbnailBatchResult> {
  const settings: ThumbnailSettings = { size: opts.size, quality: opts.quality, limits: opts.limits }
  checkSize(settings.size ?? DEFAULT_THUMBNAIL_SIZE)
  const result: ThumbnailBatchResult = { done: 0, generated: 0, cached: 0, failed: [] }
  await runPool(
    items.length,
    async (i) => {
      const item = items[i]
      if (!item) return
      try {
        const { file, fresh } = await ensureThumbnail(item.path, item.hash, opts.cacheDir, settings)
        if (fresh) result.generated++
        else result.cached++
        if (!fresh && opts.fillTints) await recordTint(opts.cacheDir, item.hash, settings.size ?? DEFAULT_THUMBNAIL_SIZE, () => tintOf(file))
      } catch (err) {
        if (!(err instanceof ImageError)) throw err
        result.failed.push({ id: item.id, path: item.path, ...err.fault })
      }
      result.done++
    },
    {
      concurrency: opts.concurrency ?? defaultImageConcurrency(),
      signal: opts.signal,
      onProgress: opts.onProgress,
      progressIntervalMs: opts.progressIntervalMs,
    },
  )
  return result
}

// Two requests for the same thumbnail (grid scroll + background batch) share one encode.
const inFlight = new Map<string, Promise<{ file: string; fresh: boolean }>>()

function ensureThumbnail(
  src: ImageSource,
  hash: string,
  cacheDir: string,
  settings: ThumbnailSettings,
): Promise<{ file: string; fresh: boolean }> {
  const size = settings.size ?? DEFAULT_THUMBNAIL_SIZE
  const file = thumbnailPath(cacheDir, hash, size)
  const pending = inFlight.get(file)
  if (pending) return pending
  const job = (async () => {
    if (await isCached(file)) return { file, fresh: false }
    const limits = settings.limits ?? {}
    let bytes: Buffer
    let tint: string
    try {
      // The resized pixels once, for both the WebP and the tint: reading the WebP back for its colours
      // cost a quarter of the encode.
      const { data, info } = await openImage(src, limits).resize(size, size, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true })
      bytes = await sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } })
        .webp({ quality: settings.quality ?? DEFAULT_THUMBNAIL_QUALITY, effort: WEBP_EFFORT })
        .toBuffer()
      tint = tintOfPixels(data, info)
    } catch (err) {
      throw new ImageError(describeSource(src), await explainFailure(err, src, limits))
    }
    await writeAtomically(file, bytes)
    await recordTint(cacheDir, hash, size, tint)
    return { file, fresh: true }
  })().finally(() => inFlight.delete(file))
  inFlight.set(file, job)
  return job
}

/** A tint is a nicety: failing to read a cached thumbnail back or to append it never fails the thumbnail. */
async function recordTint(cacheDir: string, hash: string, size: number, tint: string | (() => Promise<string>)): Promise<void> {
  try {
    await appendTint(tintsFile(cacheDir, size), hash, typeof tint === 'string' ? tint : await tint())
  } catch {
    // the next background pass finds the tint missing and tries again
  }
}

async function isCached(file: string): Promise<boolean> {
  try {
    return (await stat(file)).size > 0
  } catch {
    return false
  }
}

/** Temp file + rename in the same folder: a crash leaves either no thumbnail or a whole one. */
async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
  try {
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(tmp, bytes)
    await rename(tmp, file)
  } catch (err) {
    await unlink(tmp).catch(() => undefined)
    const reason = err instanceof Error ? err.message : String(err)
    throw new TagsmithError('BAD_INPUT', `cannot write the thumbnail cache in ${path.dirname(file)}: ${reason}`)
  }
}

function checkHash(hash: string): string {
  if (!/^[0-9a-f]{8,128}$/i.test(hash)) {
    throw new TagsmithError('BAD_INPUT', `thumbnail key must be a hex content hash, got ${JSON.stringify(hash)}`)
  }
  return hash.toLowerCase()
}

function checkSize(size: number): number {
  if (!Number.isInteger(size) || size < 16 || size > 4096) {
    throw new TagsmithError('BAD_INPUT', `thumbnail size must be an integer from 16 to 4096, got ${size}`)
  }
  return size
}
