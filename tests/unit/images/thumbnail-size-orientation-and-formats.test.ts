import sharp, { type Metadata } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { thumbnailFor } from '../../../src-main/core/images/thumbnails.ts'
import { pixelAt, sha256, tempDir, writeSamples, type Samples } from './sample-images.ts'

let dir: string
let remove: () => Promise<void>
let s: Samples

beforeAll(async () => {
  ;({ dir, remove } = await tempDir('thumbs'))
  s = await writeSamples(dir)
})
afterAll(() => remove())

async function thumb(file: string, size?: number): Promise<{ file: string; meta: Metadata }> {
  const out = await thumbnailFor(file, await sha256(file), `${dir}/cache`, size)
  return { file: out, meta: await sharp(out).metadata() }
}

describe('thumbnails', () => {
  it('honour EXIF orientation: a 100x200 image tagged orientation 6 becomes 256 wide by 128 high', async () => {
    const { file, meta } = await thumb(s.orient6)
    expect(meta.format).toBe('webp')
    expect([meta.width, meta.height]).toEqual([256, 128])
    expect(meta.orientation).toBeUndefined()
    // Rotated 90° clockwise: the stored top (red) is now on the right, the bottom (blue) on the left.
    const [lr, , lb] = await pixelAt(file, 20, 64)
    const [rr, , rb] = await pixelAt(file, 236, 64)
    expect(lb).toBeGreaterThan(150)
    expect(lr).toBeLessThan(80)
    expect(rr).toBeGreaterThan(150)
    expect(rb).toBeLessThan(80)
  })

  it('scale the longest side to the requested size', async () => {
    expect((await thumb(s.wide)).meta).toMatchObject({ width: 256, height: 85 })
    expect((await thumb(s.wide, 64)).meta).toMatchObject({ width: 64, height: 21 })
  })

  it('turn CMYK, greyscale and 16-bit images into viewable WebP of the same colour', async () => {
    for (const [file, expected] of [
      [s.cmyk, 'red'],
      [s.rgb16, 'red'],
      [s.grey, 'grey'],
    ] as const) {
      const { file: out, meta } = await thumb(file)
      expect(meta.format).toBe('webp')
      expect(meta.space).toBe('srgb')
      const [r = 0, g = 0, b = 0] = await pixelAt(out, 10, 10)
      if (expected === 'red') {
        expect(r).toBeGreaterThan(170)
        expect(Math.max(g, b)).toBeLessThan(90)
      } else {
        expect(Math.max(r, g, b) - Math.min(r, g, b)).toBeLessThanOrEqual(3)
        expect(r).toBeGreaterThan(85)
        expect(r).toBeLessThan(115)
      }
    }
  })

  it('keep transparency of a PNG with alpha', async () => {
    const { file, meta } = await thumb(s.alpha)
    expect(meta.hasAlpha).toBe(true)
    const left = await pixelAt(file, 20, 50)
    const right = await pixelAt(file, 230, 50)
    expect(left[3]).toBe(255)
    expect(left[1]).toBeGreaterThan(150)
    expect(right[3]).toBe(0)
  })

  it('use the first frame of an animated GIF', async () => {
    const { file, meta } = await thumb(s.gif)
    expect(meta.pages ?? 1).toBe(1)
    expect([meta.width, meta.height]).toEqual([256, 128])
    const [r = 0, , b = 0] = await pixelAt(file, 128, 64)
    expect(r).toBeGreaterThan(170)
    expect(b).toBeLessThan(80)
  })
})
