import { describe, expect, it } from 'vitest'
import { colourLength, computeColourStatistics, type ColourDesign } from '../../../src-main/core/ml/parts/colour-statistics.ts'
import { COLOUR_DESIGNS } from '../../../src-main/core/ml/parts/colour-designs.ts'
import { makeRng } from '../../../src-shared/rng.ts'

// A 4x4 image: the central 2x2 pure red, the 12 border pixels white. One pixel per grid cell.
function redOnWhite(): Uint8Array {
  const rgb = new Uint8Array(4 * 4 * 3).fill(255)
  for (const [y, x] of [[1, 1], [1, 2], [2, 1], [2, 2]] as const) {
    const i = (y * 4 + x) * 3
    rgb[i + 1] = 0
    rgb[i + 2] = 0
  }
  return rgb
}

const plain: ColourDesign = { grid: 4, centre: 0.5, rgbBins: 2, hueBins: 3, greyBins: 2, greyBelow: 0.2, borderDistance: 0, power: 1, layout: 0 }

describe('colour statistics', () => {
  it('are the shares of pixels per RGB cell, hue bin and grey level, for the whole image and its centre', () => {
    const got = Array.from(computeColourStatistics(redOnWhite(), 4, plain))
    // RGB cube (2x2x2, index (r*2+g)*2+b): red is cell 4, white cell 7. Hue: red is hue 0, weight
    // saturation 1 x value 1; white has no hue. Grey: white (saturation 0) has value 1, the top bin.
    const whole = [0, 0, 0, 0, 4 / 16, 0, 0, 12 / 16, 4 / 16, 0, 0, 0, 12 / 16]
    const centre = [0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]
    expect(got).toHaveLength(colourLength(plain))
    got.forEach((v, k) => expect(v).toBeCloseTo([...whole, ...centre][k] as number, 6))
  })

  it('weigh pixels by their distance from the border colour, and take square roots when asked', () => {
    // White is the border colour (weight 0); red is 255 x sqrt(2) away, past the full-weight distance.
    const got = Array.from(computeColourStatistics(redOnWhite(), 4, { ...plain, borderDistance: 300, power: 0.5 }))
    const onlyRed = [0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]
    got.forEach((v, k) => expect(v).toBeCloseTo([...onlyRed, ...onlyRed][k] as number, 6))
    const quarter = computeColourStatistics(redOnWhite(), 4, { ...plain, power: 0.5 })
    expect(quarter[4]).toBeCloseTo(0.5, 6)
    expect(quarter[7]).toBeCloseTo(Math.sqrt(0.75), 6)
  })

  it("give the subject's layout: the mean weight per layout cell", () => {
    // Layout 2: each quadrant holds one red pixel (weight 1: farther than 300 from white) and three white (0).
    const design = { ...plain, borderDistance: 300, layout: 2 }
    const got = computeColourStatistics(redOnWhite(), 4, design)
    expect(got).toHaveLength(colourLength(design))
    expect(Array.from(got.subarray(got.length - 4))).toEqual([0.25, 0.25, 0.25, 0.25])
    // Red only in the left column: the left cells carry it, the right ones nothing.
    const left = new Uint8Array(4 * 4 * 3).fill(255)
    for (let y = 1; y < 3; y++) left.set([255, 0, 0], (y * 4 + 0) * 3)
    // The border colour is now partly red, so weights are shares of the distance; left > right is what counts.
    const layout = computeColourStatistics(left, 4, design).subarray(-4)
    expect(layout[0]).toBeGreaterThan(layout[1] as number)
    expect(layout[2]).toBeGreaterThan(layout[3] as number)
  })

  it('fall back to plain weights for an image of one colour, instead of dividing by zero', () => {
    const grey = new Uint8Array(4 * 4 * 3).fill(128)
    const got = computeColourStatistics(grey, 4, { ...plain, borderDistance: 60 })
    expect(got.every(Number.isFinite)).toBe(true)
    expect(got[0]).toBe(0)
    // 128 / 255 is above the middle: cell 7 of the cube, grey bin 1.
    expect(got[7]).toBeCloseTo(1, 6)
    expect(got[12]).toBeCloseTo(1, 6)
  })

  it('are the same for a mirrored image: only spatial parts change under a flip', () => {
    const size = 70 // not a multiple of the grid: cell edges must still mirror
    const rng = makeRng(5)
    const rgb = Uint8Array.from({ length: size * size * 3 }, () => Math.floor(rng() * 256))
    const mirrored = new Uint8Array(rgb.length)
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        for (let c = 0; c < 3; c++) mirrored[(y * size + (size - 1 - x)) * 3 + c] = rgb[(y * size + x) * 3 + c] as number
      }
    }
    for (const { design } of Object.values(COLOUR_DESIGNS)) {
      const a = computeColourStatistics(rgb, size, design)
      const b = computeColourStatistics(mirrored, size, design)
      const L = design.layout
      const flat = a.length - L * L
      // The histograms are the same ...
      for (let k = 0; k < flat; k++) expect(b[k]).toBeCloseTo(a[k] as number, 6)
      // ... and the layout is mirrored, row by row.
      for (let y = 0; y < L; y++) {
        for (let x = 0; x < L; x++) expect(b[flat + y * L + (L - 1 - x)]).toBeCloseTo(a[flat + y * L + x] as number, 6)
      }
      if (L > 1) expect(Math.max(...Array.from(a.subarray(flat), (v, k) => Math.abs(v - (b[flat + k] as number))))).toBeGreaterThan(1e-4)
    }
    // The check can fail: a shifted image is not the same.
    const shifted = new Uint8Array(rgb.length)
    shifted.set(rgb.subarray(3 * size * 5))
    const c = computeColourStatistics(shifted, size, COLOUR_DESIGNS.histograms?.design ?? plain)
    const a = computeColourStatistics(rgb, size, COLOUR_DESIGNS.histograms?.design ?? plain)
    expect(Math.max(...a.map((v, k) => Math.abs(v - (c[k] as number))))).toBeGreaterThan(1e-3)
  })
})
