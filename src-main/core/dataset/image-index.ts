import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { TagsmithError } from '../errors.ts'
import type { ImageStatus } from './types.ts'

/** Indexing reads files inside the images folder only: 'outside' is decided before. */
export type IndexedStatus = Exclude<ImageStatus, 'outside'>

export interface IndexedImage {
  status: IndexedStatus
  reason: string | null
  hash: string | null
  bytes: number | null
}

export interface IndexOptions {
  concurrency?: number
  /** A further check of a file that sniffs as an image: the reason it is corrupt, or null (read once, here). */
  check?: (content: Buffer, kind: NonNullable<ReturnType<typeof sniffImage>>) => string | null
  onProgress?: (p: { done: number; total: number }) => void
  signal?: AbortSignal
}

/** Hashes and sniffs every file with bounded parallel reads; results keep the input order. */
export async function indexImages(files: string[], options: IndexOptions = {}): Promise<IndexedImage[]> {
  const results: IndexedImage[] = new Array<IndexedImage>(files.length)
  const total = files.length
  let next = 0
  let done = 0
  let lastReport = 0
  const report = (force: boolean): void => {
    const now = performance.now()
    if (!options.onProgress || (!force && now - lastReport < 50)) return
    lastReport = now
    options.onProgress({ done, total })
  }
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) throw new TagsmithError('CANCELLED', 'import cancelled')
      const i = next++
      if (i >= total) return
      results[i] = await indexOne(files[i] as string, options.check)
      done++
      report(false)
    }
  }
  const workers = Math.max(1, Math.min(options.concurrency ?? 16, total))
  await Promise.all(Array.from({ length: workers }, worker))
  report(true)
  return results
}

export async function indexOne(file: string, check?: IndexOptions['check']): Promise<IndexedImage> {
  // No file system accepts it; say so instead of Node's ERR_INVALID_ARG_VALUE.
  if (file.includes('\0')) return { status: 'missing', reason: 'path contains a NUL character', hash: null, bytes: null }
  let content: Buffer
  try {
    content = await readFile(file)
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'error'
    if (code === 'EISDIR') return { status: 'corrupt', reason: 'is a folder, not a file', hash: null, bytes: null }
    if (code === 'ENOENT' || code === 'ENOTDIR') return { status: 'missing', reason: 'file not found', hash: null, bytes: null }
    return { status: 'missing', reason: `cannot read (${code})`, hash: null, bytes: null }
  }
  const hash = createHash('sha256').update(content).digest('hex')
  const kind = sniffImage(content)
  if (kind === null) {
    const reason = content.length === 0 ? 'empty file' : 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image'
    return { status: 'corrupt', reason, hash, bytes: content.length }
  }
  const problem = check?.(content, kind) ?? null
  if (problem !== null) return { status: 'corrupt', reason: problem, hash, bytes: content.length }
  return { status: 'ok', reason: null, hash, bytes: content.length }
}

const ascii = (b: Uint8Array, at: number, text: string): boolean => {
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false
  return true
}

const HEIF_BRANDS = ['avif', 'avis', 'heic', 'heix', 'mif1', 'msf1']

/** Cheap format check from the file signature; null when no known image format matches. */
export function sniffImage(b: Uint8Array): 'jpeg' | 'png' | 'gif' | 'webp' | 'tiff' | 'avif' | null {
  if (b.length < 12) return null // no real image is this small
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg'
  if (b[0] === 0x89 && ascii(b, 1, 'PNG\r\n\x1a\n')) return 'png'
  if (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')) return 'gif'
  if (ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return 'webp'
  if (ascii(b, 0, 'II*\0') || ascii(b, 0, 'MM\0*')) return 'tiff'
  if (ascii(b, 4, 'ftyp') && HEIF_BRANDS.some((brand) => ascii(b, 8, brand))) return 'avif'
  return null
}
