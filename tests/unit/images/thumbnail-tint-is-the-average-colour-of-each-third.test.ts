import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import sharp from 'sharp'
import { afterAll, expect, it } from 'vitest'
import { thumbnailFor } from '../../../src-main/core/images/thumbnails.ts'
import { readTints, tintOf, tintsFile } from '../../../src-main/core/images/tints.ts'

const dir = mkdtempSync(path.join(tmpdir(), 'tagsmith-tint-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A PNG of horizontal bands, top to bottom, each `rows` tall. */
async function bands(file: string, colours: Array<[number, number, number]>, rows = 120, grey = false): Promise<void> {
  const width = 90
  const data = Buffer.alloc(width * rows * colours.length * 3)
  colours.forEach((rgb, band) => {
    for (let i = band * width * rows; i < (band + 1) * width * rows; i++) data.set(rgb, i * 3)
  })
  let image = sharp(data, { raw: { width, height: rows * colours.length, channels: 3 } })
  if (grey) image = image.toColourspace('b-w')
  await image.png().toFile(file)
}

function channels(tint: string | undefined): number[] {
  return (tint?.match(/../g) ?? []).map((hex) => parseInt(hex, 16))
}

it('records the mean colour of the top, middle and bottom thirds beside a new thumbnail', async () => {
  const file = path.join(dir, 'bands.png')
  await bands(file, [[255, 0, 0], [0, 255, 0], [0, 0, 255]])
  const hash = 'ab'.repeat(32)
  const cache = path.join(dir, 'cache')
  const thumb = await thumbnailFor(file, hash, cache)
  const tint = (await readTints(tintsFile(cache, 256))).get(hash)
  const expected = [255, 0, 0, 0, 255, 0, 0, 0, 255]
  // Resizing softens the borders between bands a little.
  channels(tint).forEach((v, i) => expect(Math.abs(v - (expected[i] ?? 0))).toBeLessThanOrEqual(12))
  // Read back from the WebP the tint is the same, give or take its compression.
  channels(await tintOf(thumb)).forEach((v, i) => expect(Math.abs(v - (channels(tint)[i] ?? 0))).toBeLessThanOrEqual(6))
})

it('gives a grey image grey colours', async () => {
  const file = path.join(dir, 'grey.png')
  await bands(file, [[40, 40, 40], [128, 128, 128], [220, 220, 220]], 100, true)
  const hash = 'cd'.repeat(32)
  const cache = path.join(dir, 'cache-grey')
  await thumbnailFor(file, hash, cache)
  const [r1, g1, b1, r2, , , r3] = channels((await readTints(tintsFile(cache, 256))).get(hash))
  expect(r1).toBe(g1)
  expect(g1).toBe(b1)
  expect(Math.abs((r1 ?? 0) - 40)).toBeLessThanOrEqual(12)
  expect(Math.abs((r2 ?? 0) - 128)).toBeLessThanOrEqual(12)
  expect(Math.abs((r3 ?? 0) - 220)).toBeLessThanOrEqual(12)
})
