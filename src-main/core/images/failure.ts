import { open, stat } from 'node:fs/promises'
import sharp, { type Metadata } from 'sharp'
import { missingEndMarker } from '../dataset/image-end.ts'
import type { ImageStatus } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { maxPixelsOf, type ImageLimits, type ImageSource } from './open.ts'

/** Why one image could not be used: its file is unreadable ('missing') or its content is bad ('corrupt'). */
export interface ImageFault {
  status: Extract<ImageStatus, 'missing' | 'corrupt'>
  reason: string
}

/** Thrown by single-image operations; batch operations record the fault and carry on. */
export class ImageError extends TagsmithError {
  constructor(
    readonly src: string,
    readonly fault: ImageFault,
  ) {
    super('BAD_INPUT', `${src}: ${fault.reason}`)
  }
}

export function describeSource(src: ImageSource): string {
  return typeof src === 'string' ? src : `<${src.length} bytes in memory>`
}

/**
 * Turns a failed pipeline into a reason a user can act on. The diagnosis is our own (file
 * checks, the header, the pixel count, the end marker) rather than sharp's message alone: libvips
 * keeps one error buffer for the whole process, so when several images fail at once a message can
 * come back empty ("Unknown error") or even belong to another image.
 */
export async function explainFailure(err: unknown, src: ImageSource, limits: ImageLimits): Promise<ImageFault> {
  try {
    return await diagnose(err, src, limits)
  } catch {
    // The file changed under us while we looked; report what sharp said.
    return { status: 'corrupt', reason: `cannot decode image: ${decoderMessage(err) || 'unknown error'}` }
  }
}

async function diagnose(err: unknown, src: ImageSource, limits: ImageLimits): Promise<ImageFault> {
  if (typeof src === 'string') {
    const unreadable = await whyUnreadable(src)
    if (unreadable) return { status: 'missing', reason: unreadable }
  }
  const corrupt = (reason: string): ImageFault => ({ status: 'corrupt', reason })
  const { size, head, tail } = await readEnds(src)
  if (size === 0) return corrupt('empty file (0 bytes)')

  let meta: Metadata
  try {
    // The header alone: nothing is decoded, so no limit is needed to read it.
    meta = await sharp(src, { limitInputPixels: false }).metadata()
  } catch {
    const claimed = formatByMagic(head)
    if (claimed) return corrupt(`damaged ${claimed} file: its header cannot be read (${size} bytes)`)
    return corrupt(`not a recognised image format (${size} bytes, starts with ${quoteStart(head)})`)
  }

  const max = maxPixelsOf(limits)
  const frameHeight = meta.pageHeight ?? meta.height
  const pixels = meta.width * frameHeight
  if (pixels > max) {
    return corrupt(
      `image is ${meta.width}×${frameHeight} (${megapixels(pixels)} MP), above the limit of ${megapixels(max)} MP; ` +
        'refused as a possible decompression bomb',
    )
  }
  const missingEnd = missingEndMarker(meta.format, tail)
  if (missingEnd) return corrupt(`truncated image data (${missingEnd})`)

  let detail = decoderMessage(err)
  if (!detail) {
    // Ask again, alone: the first message was lost to a concurrent failure.
    detail = await sharp(src, { failOn: limits.failOn ?? 'error', limitInputPixels: max })
      .raw()
      .toBuffer()
      .then(
        () => '',
        (again: unknown) => decoderMessage(again),
      )
  }
  return corrupt(`cannot decode the ${meta.format} image data${detail ? `: ${detail}` : ''}`)
}

async function whyUnreadable(file: string): Promise<string | null> {
  try {
    const st = await stat(file)
    if (!st.isFile()) return 'not a regular file'
    const fh = await open(file, 'r')
    await fh.close()
    return null
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'file not found'
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
    return `cannot read file (${code ?? String(err)})`
  }
}

/** The file's size and its first and last 16 bytes. */
async function readEnds(src: ImageSource): Promise<{ size: number; head: Buffer; tail: Buffer }> {
  if (typeof src !== 'string') return { size: src.length, head: src.subarray(0, 16), tail: src.subarray(-16) }
  const fh = await open(src, 'r')
  try {
    const size = (await fh.stat()).size
    const read = async (position: number): Promise<Buffer> => {
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(16), 0, 16, position)
      return buffer.subarray(0, bytesRead)
    }
    return { size, head: await read(0), tail: await read(Math.max(0, size - 16)) }
  } finally {
    await fh.close()
  }
}

function quoteStart(head: Buffer): string {
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))
  return printable ? `text ${JSON.stringify(head.toString('latin1'))}` : `bytes ${head.subarray(0, 8).toString('hex')}`
}

/** The format a file's first bytes claim, for files whose header sharp cannot parse. */
function formatByMagic(head: Buffer): string | null {
  const starts = (...bytes: number[]): boolean => bytes.every((b, i) => head[i] === b)
  if (starts(0xff, 0xd8, 0xff)) return 'JPEG'
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'PNG'
  if (head.subarray(0, 4).toString('latin1') === 'GIF8') return 'GIF'
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'WebP'
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'TIFF'
  return null
}

/** sharp's message without the decoder prefix, or '' when it carries no information. */
function decoderMessage(err: unknown): string {
  const message = (err instanceof Error ? err.message : String(err)).replace(/^Vips\w*:\s*/, '').trim()
  return /^(unknown error)?$/i.test(message) ? '' : message
}

function megapixels(pixels: number): string {
  const mp = pixels / 1_000_000
  return mp >= 10 ? mp.toFixed(0) : mp.toFixed(1)
}
