import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeForModel, decodeRgb, normalise } from '../../../src-main/core/images/decode.ts'
import { ImageError } from '../../../src-main/core/images/failure.ts'
import { fixtureJpegs, tempDir, writeSamples, type Samples } from './sample-images.ts'

let dir: string
let remove: () => Promise<void>
let s: Samples
beforeAll(async () => {
  ;({ dir, remove } = await tempDir('decode'))
  s = await writeSamples(dir)
})
afterAll(() => remove())

/** RGB at (x, y) of an HWC buffer of side `size`. */
function at(data: ArrayLike<number>, size: number, x: number, y: number): number[] {
  const i = (y * size + x) * 3
  return [data[i] ?? NaN, data[i + 1] ?? NaN, data[i + 2] ?? NaN]
}

describe('decodeForModel', () => {
  it('returns 224×224×3 floats in [0, 1] for a real photo', async () => {
    const [photo = ''] = await fixtureJpegs(1)
    const x = await decodeForModel(photo)
    expect(x).toBeInstanceOf(Float32Array)
    expect(x.length).toBe(224 * 224 * 3)
    let min = Infinity
    let max = -Infinity
    for (const v of x) {
      min = Math.min(min, v)
      max = Math.max(max, v)
    }
    expect(min).toBeGreaterThanOrEqual(0)
    expect(max).toBeLessThanOrEqual(1)
    expect(max - min).toBeGreaterThan(0.5) // a photo, not a flat colour
  })

  it('equals the raw bytes divided by 255, and applies mean/std per channel', async () => {
    const [photo = ''] = await fixtureJpegs(1)
    const raw = await decodeRgb(photo, { size: 32 })
    const unit = await decodeForModel(photo, { size: 32 })
    expect(raw.length).toBe(32 * 32 * 3)
    for (let i = 0; i < raw.length; i += 97) expect(unit[i]).toBeCloseTo((raw[i] ?? 0) / 255, 6)

    const mean = [0.485, 0.456, 0.406] as const
    const std = [0.229, 0.224, 0.225] as const
    const z = await decodeForModel(photo, { size: 32, normalisation: { mean, std } })
    for (let i = 0; i < raw.length; i += 31) {
      const c = i % 3
      expect(z[i]).toBeCloseTo(((raw[i] ?? 0) / 255 - (mean[c] ?? 0)) / (std[c] ?? 1), 5)
    }
    const signed = await decodeForModel(photo, { size: 32, normalisation: { scale: 2 / 255, offset: -1 } })
    expect(Math.min(...signed)).toBeGreaterThanOrEqual(-1)
    expect(Math.max(...signed)).toBeLessThanOrEqual(1)
  })

  it('fills one slot of a batch buffer in place', () => {
    const batch = new Float32Array(2 * 6)
    normalise(Uint8Array.from([0, 255, 51, 102, 153, 204]), { scale: 1 / 255, offset: 0 }, batch.subarray(6, 12))
    expect([...batch.subarray(0, 6)]).toEqual([0, 0, 0, 0, 0, 0])
    expect([...batch.subarray(6)].map((v) => +v.toFixed(3))).toEqual([0, 1, 0.2, 0.4, 0.6, 0.8])
  })
})

describe('decodeRgb', () => {
  it('squashes by default, crops with cover, pads with white with contain', async () => {
    // wide.png: 300×100 all red.
    const fill = await decodeRgb(s.wide, { size: 30 })
    const cover = await decodeRgb(s.wide, { size: 30, fit: 'cover' })
    const contain = await decodeRgb(s.wide, { size: 30, fit: 'contain' })
    for (const img of [fill, cover]) {
      expect(at(img, 30, 15, 1)[0]).toBeGreaterThan(200)
      expect(at(img, 30, 15, 1)[1]).toBeLessThan(40)
    }
    expect(at(contain, 30, 15, 1)).toEqual([255, 255, 255]) // top band
    expect(at(contain, 30, 15, 28)).toEqual([255, 255, 255]) // bottom band
    expect(at(contain, 30, 15, 15)[0]).toBeGreaterThan(200)
    expect(at(contain, 30, 15, 15)[1]).toBeLessThan(40)
  })

  it('keeps the halves of an image apart in fill mode, showing nothing is cropped', async () => {
    // orient6 displays as 200×100: blue left half, red right half.
    const img = await decodeRgb(s.orient6, { size: 40 })
    const [lr = 0, , lb = 0] = at(img, 40, 2, 20)
    const [rr = 0, , rb = 0] = at(img, 40, 37, 20)
    expect(lb).toBeGreaterThan(150)
    expect(lr).toBeLessThan(80)
    expect(rr).toBeGreaterThan(150)
    expect(rb).toBeLessThan(80)
  })

  it('flattens transparency onto white', async () => {
    const img = await decodeRgb(s.alpha, { size: 40 })
    const [r = 0, g = 0, b = 0] = at(img, 40, 5, 20)
    expect(g).toBeGreaterThan(150)
    expect(Math.max(r, b)).toBeLessThan(80)
    expect(at(img, 40, 35, 20)).toEqual([255, 255, 255])
  })

  it('converts CMYK, greyscale and 16-bit to 3-channel sRGB bytes, and takes the first GIF frame', async () => {
    for (const [file, kind] of [
      [s.cmyk, 'red'],
      [s.rgb16, 'red'],
      [s.gif, 'red'],
      [s.grey, 'grey'],
    ] as const) {
      const img = await decodeRgb(file, { size: 16 })
      expect(img.length).toBe(16 * 16 * 3)
      const [r = 0, g = 0, b = 0] = at(img, 16, 8, 8)
      if (kind === 'red') {
        expect(r, file).toBeGreaterThan(170)
        expect(Math.max(g, b), file).toBeLessThan(90)
      } else {
        expect([r, g, b]).toEqual([r, r, r])
        expect(Math.abs(r - 100)).toBeLessThanOrEqual(3)
      }
    }
  })

  it('throws an ImageError naming the file for a broken image', async () => {
    for (const file of [s.empty, s.truncated, s.text, s.missing]) {
      await expect(decodeRgb(file)).rejects.toSatisfy((e: unknown) => e instanceof ImageError && e.message.startsWith(file))
    }
  })
})
