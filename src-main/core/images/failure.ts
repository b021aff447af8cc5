import { open, stat } from 'node:fs/promises'
import sharp from 'sharp'
import { TagsmithError } from '../errors.ts'
import { maxPixelsOf, type ImageLimits, type ImageSource } from './open.ts'

/** Why one image could not be used: its file is unreadable ('missing') or its content is bad ('corrupt'). */
export interface ImageFault {
  status: 'missing' | 'corrupt'
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

/** Turns a sharp or file-system error into a reason a user can act on. */
export async function explainFailure(err: unknown, src: ImageSource, limits: ImageLimits): Promise<ImageFault> {
  const message = err instanceof Error ? err.message : String(err)
  const code = (err as NodeJS.ErrnoException | undefined)?.code

  if (typeof src === 'string' && (code !== undefined || /^Input file is missing/.test(message))) {
    const unreadable = await whyUnreadable(src)
    if (unreadable) return { status: 'missing', reason: unreadable }
  }
  if (/exceeds pixel limit/i.test(message)) return { status: 'corrupt', reason: await overLimit(src, limits) }
  if (/unsupported image format/i.test(message)) return { status: 'corrupt', reason: await unrecognised(src) }
  if (/premature end|truncated|unexpected end/i.test(message)) {
    return { status: 'corrupt', reason: `truncated image data (${stripDecoderPrefix(message)})` }
  }
  return { status: 'corrupt', reason: `cannot decode image: ${stripDecoderPrefix(message)}` }
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

async function overLimit(src: ImageSource, limits: ImageLimits): Promise<string> {
  const max = maxPixelsOf(limits)
  const limitText = `the limit of ${megapixels(max)} MP`
  try {
    // The header alone gives the size; nothing is decoded.
    const meta = await sharp(src, { limitInputPixels: false }).metadata()
    const pixels = meta.width * meta.height
    return `image is ${meta.width}×${meta.height} (${megapixels(pixels)} MP), above ${limitText}; refused as a possible decompression bomb`
  } catch {
    return `image has more pixels than ${limitText}; refused as a possible decompression bomb`
  }
}

async function unrecognised(src: ImageSource): Promise<string> {
  let head: Buffer
  let size: number
  try {
    if (typeof src === 'string') {
      size = (await stat(src)).size
      const fh = await open(src, 'r')
      try {
        const { buffer, bytesRead } = await fh.read(Buffer.alloc(16), 0, 16, 0)
        head = buffer.subarray(0, bytesRead)
      } finally {
        await fh.close()
      }
    } else {
      size = src.length
      head = src.subarray(0, 16)
    }
  } catch {
    return 'not a recognised image format'
  }
  if (size === 0) return 'empty file (0 bytes)'
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127))
  const start = printable ? `text ${JSON.stringify(head.toString('latin1'))}` : `bytes ${head.subarray(0, 8).toString('hex')}`
  return `not a recognised image format (${size} bytes, starts with ${start})`
}

function stripDecoderPrefix(message: string): string {
  return message.replace(/^Vips\w*:\s*/, '').trim()
}

function megapixels(pixels: number): string {
  const mp = pixels / 1_000_000
  return mp >= 10 ? mp.toFixed(0) : mp.toFixed(1)
}
