import os from 'node:os'
import sharp, { type Sharp } from 'sharp'

/** Where a pixel pipeline starts: a file path or the encoded bytes of an image. */
export type ImageSource = string | Buffer

/**
 * Pixels (width × height) above which an image is refused before decoding. 100 MP covers any
 * camera photo; a 30000×30000 "decompression bomb" (900 MP, 2.6 MB on disk) is 2.7 GB of pixels,
 * seconds of CPU per view and that much RAM for anything that cannot stream (rotation, say).
 */
export const DEFAULT_MAX_PIXELS = 100_000_000

// libvips would otherwise keep the last 20 input files open and cache their operations: no use to
// us (each image is read once per pipeline) and, on Windows, an open file cannot be renamed or
// deleted by the user while the app runs.
sharp.cache(false)

export interface ImageLimits {
  /** Refuse images with more pixels than this (default DEFAULT_MAX_PIXELS). */
  maxPixels?: number
  /**
   * How damaged pixel data may be before the image is refused. 'error' (default) refuses truncated
   * files and decoder errors but accepts files that only raise decoder warnings (stray bytes after
   * the end marker and the like), which still display correctly.
   */
  failOn?: 'truncated' | 'error' | 'warning'
}

/**
 * The one place a sharp pipeline is created, so thumbnails, model input and probing share the
 * same safety settings: a pixel limit, a damage policy, first frame only for animations, and
 * EXIF orientation applied.
 */
export function openImage(src: ImageSource, limits: ImageLimits = {}): Sharp {
  return sharp(src, {
    limitInputPixels: maxPixelsOf(limits),
    failOn: limits.failOn ?? 'error',
    // Animated GIF/WebP: the first frame only, so a 500-frame GIF costs what one frame costs.
    page: 0,
    pages: 1,
  }).autoOrient()
}

export function maxPixelsOf(limits: ImageLimits): number {
  const max = limits.maxPixels ?? DEFAULT_MAX_PIXELS
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxPixels must be a positive integer, got ${max}`)
  return max
}

/**
 * How many images to process at once: one per core, up to libuv's thread pool (4 threads unless
 * UV_THREADPOOL_SIZE says otherwise), where sharp runs each pipeline; more in flight only queues.
 * Parallel images beat more libvips threads per image (sharp.concurrency()) because JPEG decoding
 * is serial: on 2 cores, 2 images × 1 thread decoded 172/s, 1 image × 2 threads 137/s.
 */
export function defaultImageConcurrency(): number {
  const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4
  return Math.max(1, Math.min(poolSize, os.availableParallelism()))
}
