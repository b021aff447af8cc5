// Label columns as bitsets over the images (one bit per image, 32 to a word): which cells are 1 and
// which are filled. Counting over a set of labels is then a few word operations per 32 images, which
// keeps checks of many label sets fast on tens of thousands of images.
import type { LabelValue } from '../../../src-preload/contract.ts'

export interface LabelBits {
  images: number
  labels: number
  /** words per column */
  words: number
  /** column j's words at [j * words, (j + 1) * words): bit i set when image i's cell is 1 */
  ones: Uint32Array
  /** the same layout: bit i set when image i's cell is filled (0 or 1) */
  filled: Uint32Array
}

export function labelBits(rows: ReadonlyArray<ReadonlyArray<LabelValue>>, labels: number): LabelBits {
  const words = Math.ceil(rows.length / 32)
  const ones = new Uint32Array(words * labels)
  const filled = new Uint32Array(words * labels)
  rows.forEach((row, i) => {
    const word = i >>> 5
    const bit = 1 << (i & 31)
    for (let j = 0; j < labels; j++) {
      const v = row[j]
      if (v === 0 || v === 1) filled[j * words + word] = ((filled[j * words + word] as number) | bit) >>> 0
      if (v === 1) ones[j * words + word] = ((ones[j * words + word] as number) | bit) >>> 0
    }
  })
  return { images: rows.length, labels, words, ones, filled }
}

/** Set bits in a 32-bit word. */
export function popcount(x: number): number {
  let v = x >>> 0
  v = v - ((v >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/** Set bits of one column (start = j * words). */
export function countColumn(bits: Uint32Array, start: number, words: number): number {
  let n = 0
  for (let w = 0; w < words; w++) n += popcount(bits[start + w] as number)
  return n
}
