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

/** The tint of a thumbnail (its encoded bytes or its file): each third of its height averaged. */
export async function tintOf(thumbnail: Buffer | string): Promise<string> {
  const { data } = await sharp(thumbnail)
    .removeAlpha()
    .resize(1, TINT_BANDS, { fit: 'fill', kernel: 'cubic' })
    .raw()
    .toBuffer({ resolveWithObject: true })
  return data.subarray(0, TINT_BANDS * 3).toString('hex')
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
