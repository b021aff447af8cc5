// Writes the images the image tests need into a temp folder: real files made with sharp, plus
// the broken kinds users have (empty, truncated, text renamed .jpg, a decompression bomb).
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import sharp, { type Sharp } from 'sharp'

export const RED = { r: 220, g: 20, b: 30 }
export const BLUE = { r: 20, g: 30, b: 220 }
export const GREEN = { r: 20, g: 200, b: 40 }

export function fixturesDir(): string {
  return process.env.TAGSMITH_FIXTURES ?? path.resolve(import.meta.dirname, '../../../..', 'shared/fixtures')
}

/** The first `count` JPEGs of the apparel fixture, in a stable order. */
export async function fixtureJpegs(count = Infinity): Promise<string[]> {
  const root = path.join(fixturesDir(), 'apparel-mini', 'clothes_dataset')
  const out: string[] = []
  for (const dir of (await readdir(root)).sort()) {
    for (const name of (await readdir(path.join(root, dir))).sort()) {
      if (name.endsWith('.jpg')) out.push(path.join(root, dir, name))
      if (out.length >= count) return out
    }
  }
  return out
}

export async function sha256(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex')
}

export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `tagsmith-${prefix}-`))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export interface Samples {
  /** Stored 100 wide × 200 high, top half red, bottom half blue, EXIF orientation 6 (display: rotate 90° clockwise). */
  orient6: string
  cmyk: string
  /** One channel, value 100. */
  grey: string
  rgb16: string
  /** Left half opaque green, right half fully transparent blue. */
  alpha: string
  /** Two frames: red, then blue. */
  gif: string
  /** 300 wide × 100 high, red. */
  wide: string
  empty: string
  truncated: string
  text: string
  missing: string
  /** 30000×30000 PNG (900 MP, 2.7 GB decoded) in about 2.6 MB. */
  bomb: string
}

export async function writeSamples(dir: string): Promise<Samples> {
  const p = (name: string): string => path.join(dir, name)
  const s: Samples = {
    orient6: p('orient6.jpg'),
    cmyk: p('cmyk.jpg'),
    grey: p('grey.png'),
    rgb16: p('rgb16.png'),
    alpha: p('alpha.png'),
    gif: p('anim.gif'),
    wide: p('wide.png'),
    empty: p('empty.jpg'),
    truncated: p('truncated.jpg'),
    text: p('notes.jpg'),
    missing: p('does-not-exist.jpg'),
    bomb: p('bomb.png'),
  }

  const halves = rawHalves(100, 200, 'top-bottom', RED, BLUE, 3)
  await sharp(halves, { raw: { width: 100, height: 200, channels: 3 } })
    .jpeg({ quality: 95 })
    .withMetadata({ orientation: 6 })
    .toFile(s.orient6)

  await solid(40, 30, RED).toColourspace('cmyk').jpeg({ quality: 95 }).toFile(s.cmyk)
  await solid(40, 30, { r: 100, g: 100, b: 100 }).toColourspace('b-w').png().toFile(s.grey)
  await solid(40, 30, RED).toColourspace('rgb16').png().toFile(s.rgb16)

  const alpha = rawHalves(40, 30, 'left-right', { ...GREEN, alpha: 255 }, { ...BLUE, alpha: 0 }, 4)
  await sharp(alpha, { raw: { width: 40, height: 30, channels: 4 } }).png().toFile(s.alpha)

  const frames = rawHalves(20, 20, 'top-bottom', RED, BLUE, 3)
  await sharp(frames, { raw: { width: 20, height: 20, channels: 3, pageHeight: 10 } })
    .gif()
    .toFile(s.gif)

  await solid(300, 100, RED).png().toFile(s.wide)

  await writeFile(s.empty, '')
  const [real] = await fixtureJpegs(1)
  if (!real) throw new Error(`no fixture JPEGs under ${fixturesDir()}`)
  const bytes = await readFile(real)
  await writeFile(s.truncated, bytes.subarray(0, bytes.length >> 1))
  await writeFile(s.text, 'image,black,blue\nnot really a picture\n')
  await writeFile(s.bomb, zeroPng(30_000, 30_000))
  return s
}

function solid(width: number, height: number, background: { r: number; g: number; b: number }): Sharp {
  return sharp({ create: { width, height, channels: 3, background } })
}

type Rgba = { r: number; g: number; b: number; alpha?: number }

function rawHalves(w: number, h: number, split: 'top-bottom' | 'left-right', a: Rgba, b: Rgba, channels: 3 | 4): Buffer {
  const buf = Buffer.alloc(w * h * channels)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const first = split === 'top-bottom' ? y < h / 2 : x < w / 2
      const c = first ? a : b
      const i = (y * w + x) * channels
      buf[i] = c.r
      buf[i + 1] = c.g
      buf[i + 2] = c.b
      if (channels === 4) buf[i + 3] = c.alpha ?? 255
    }
  }
  return buf
}

/**
 * A valid, fully decodable black RGB PNG of any size, built without materialising its pixels: the
 * zlib stream is one compressed run of zero rows repeated (each run ends with a full flush, so
 * the copies are independent), and the Adler-32 of n zero bytes is (n mod 65521) << 16 | 1.
 */
export function zeroPng(width: number, height: number): Buffer {
  const rowBytes = 1 + width * 3 // filter byte + RGB
  let rowsPerRun = Math.min(height, Math.max(1, Math.floor(8_000_000 / rowBytes)))
  while (height % rowsPerRun !== 0) rowsPerRun--
  const run = zlib.deflateRawSync(Buffer.alloc(rowBytes * rowsPerRun), {
    level: 9,
    finishFlush: zlib.constants.Z_FULL_FLUSH,
  })
  const last = zlib.deflateRawSync(Buffer.alloc(0))
  const total = rowBytes * height
  const adler = Buffer.alloc(4)
  adler.writeUInt32BE((((total % 65521) << 16) | 1) >>> 0)
  const idat = Buffer.concat([
    Buffer.from([0x78, 0x9c]),
    ...Array.from({ length: height / rowsPerRun }, () => run),
    last,
    adler,
  ])
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8) // 8-bit, truecolour, deflate, adaptive filter, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', idat),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.length, 0)
  head.write(type, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(zlib.crc32(data, zlib.crc32(head.subarray(4))) >>> 0)
  return Buffer.concat([head, data, crc])
}

/** Reads back pixel (x, y) of any image as RGB(A) after EXIF orientation. */
export async function pixelAt(file: string, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(file).autoOrient().raw().toBuffer({ resolveWithObject: true })
  const i = (y * info.width + x) * info.channels
  return [...data.subarray(i, i + info.channels)]
}
