import { open } from 'node:fs/promises'

// Content types for the files Tagsmith serves: the UI's assets and dataset images.
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.jfif': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.bmp': 'image/bmp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
}

export function contentType(file: string): string {
  const dot = file.lastIndexOf('.')
  return (dot >= 0 && TYPES[file.slice(dot).toLowerCase()]) || 'application/octet-stream'
}

/**
 * The image type of a dataset file from its first bytes, never from its name: a file that starts like
 * a GIF but is named page.html must not be served as a page. Anything unrecognised is plain bytes.
 */
export function sniffedImageType(head: Uint8Array): string {
  const starts = (sig: readonly number[], at = 0): boolean => sig.every((b, i) => head[at + i] === b)
  const ascii = (text: string, at = 0): boolean => starts([...text].map((c) => c.charCodeAt(0)), at)
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (ascii('GIF87a') || ascii('GIF89a')) return 'image/gif'
  if (ascii('RIFF') && ascii('WEBP', 8)) return 'image/webp'
  if (starts([0x49, 0x49, 0x2a, 0x00]) || starts([0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff'
  if (ascii('ftyp', 4) && (ascii('avif', 8) || ascii('avis', 8))) return 'image/avif'
  if (ascii('BM') && head.length >= 14) return 'image/bmp'
  return 'application/octet-stream'
}

/** How many leading bytes sniffedImageType needs. */
export const SNIFF_BYTES = 16

/** Headers every dataset image answer carries: the sniffed type, no sniffing by the browser, and a
 *  sandbox so that even if a browser rendered it as a document, it would have no origin or scripts. */
export function imageAnswerHeaders(type: string, basePolicy = ''): Record<string, string> {
  const policy = basePolicy ? `${basePolicy}; sandbox` : 'sandbox'
  return { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': policy }
}

/** The sniffed image type of a file on disk (unreadable -> plain bytes; the caller reports missing files). */
export async function fileImageType(file: string): Promise<string> {
  let handle
  try {
    handle = await open(file, 'r')
    const head = new Uint8Array(SNIFF_BYTES)
    const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0)
    return sniffedImageType(head.subarray(0, bytesRead))
  } catch {
    return 'application/octet-stream'
  } finally {
    await handle?.close()
  }
}
