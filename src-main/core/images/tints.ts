// A few colours per image (its top, middle and bottom thirds, averaged), shown as a vertical gradient
// while the thumbnail loads: it reads as a blurred picture at the cost of one CSS background.
import { appendFile, readFile } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'

/** Colours per image, top to bottom. */
export const TINT_BANDS = 3
const TINT_HEX = TINT_BANDS * 6

/**
 * The tints of one cache folder and thumbnail size: a text file of `<content hash> <rrggbb…>` lines.
 * Lines are only ever appended, each in one write, by whichever process made the thumbnail, so the
 * background job and the grid's own requests may add to it at once; a torn last line is skipped.
 */
export function tintsFile(cacheDir: string, size: number): string {
  return path.join(cacheDir, `tints-${size}.txt`)
}

/** The tint of a thumbnail file already cached. */
export async function tintOf(thumbnail: Buffer | string): Promise<string> {
  const { data, info } = await sharp(thumbnail).raw().toBuffer({ resolveWithObject: true })
  return tintOfPixels(data, info)
}

/** The tint of decoded pixels (8-bit, 1 to 4 channels, rows top to bottom): each third of the rows averaged. */
export function tintOfPixels(data: Uint8Array, info: { width: number; height: number; channels: number }): string {
  const { width, height, channels } = info
  const out = Buffer.alloc(TINT_BANDS * 3)
  for (let band = 0; band < TINT_BANDS; band++) {
    const from = Math.floor((band * height) / TINT_BANDS)
    const to = Math.max(from + 1, Math.floor(((band + 1) * height) / TINT_BANDS))
    const sums = [0, 0, 0]
    for (let y = from; y < Math.min(to, height); y++) {
      for (let x = 0, i = y * width * channels; x < width; x++, i += channels) {
        // Grey images (1 or 2 channels) give the same value to red, green and blue.
        for (let c = 0; c < 3; c++) sums[c] = (sums[c] ?? 0) + (data[i + (channels >= 3 ? c : 0)] ?? 0)
      }
    }
    const count = Math.max(1, (Math.min(to, height) - from) * width)
    for (let c = 0; c < 3; c++) out[band * 3 + c] = Math.round((sums[c] ?? 0) / count)
  }
  return out.toString('hex')
}

export async function appendTint(file: string, hash: string, tint: string): Promise<void> {
  await appendFile(file, `${hash.toLowerCase()} ${tint}\n`)
}

/** Every tint recorded, by content hash; an empty map when there is no file yet. */
export async function readTints(file: string): Promise<Map<string, string>> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map()
    throw err
  }
  const tints = new Map<string, string>()
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ')
    const tint = line.slice(space + 1)
    if (space < 8 || tint.length !== TINT_HEX || !/^[0-9a-f]+$/.test(tint)) continue
    tints.set(line.slice(0, space), tint)
  }
  return tints
}
