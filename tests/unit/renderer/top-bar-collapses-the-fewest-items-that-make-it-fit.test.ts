import { describe, expect, it } from 'vitest'
import { itemsToCollapse } from '../../../src-renderer/lib/bar-fit.ts'

// Widths in the order the items give way: the tile slider, Close, Groups, Export CSV, Undo + Redo.
const ITEMS = [150, 60, 70, 100, 140]
const FIXED = 700
const MORE = 80

describe('the top bar collapsing into More', () => {
  it('keeps every item when all fit, with no More button', () => {
    expect(itemsToCollapse(FIXED + 520, FIXED, ITEMS, MORE)).toBe(0)
    expect(itemsToCollapse(5000, FIXED, ITEMS, MORE)).toBe(0)
  })

  it('collapses the fewest items that leave room for the rest and the More button', () => {
    // One pixel short: the first item goes, and More (80) fits in the 150 it leaves.
    expect(itemsToCollapse(FIXED + 519, FIXED, ITEMS, MORE)).toBe(1)
    // Room for 320 px: with More (80) shown, the items left must take at most 240: the last two (240).
    expect(itemsToCollapse(FIXED + 320, FIXED, ITEMS, MORE)).toBe(3)
    expect(itemsToCollapse(FIXED + 319, FIXED, ITEMS, MORE)).toBe(4)
    expect(itemsToCollapse(FIXED + 400, FIXED, ITEMS, MORE)).toBe(2)
  })

  it('collapses everything when even the fixed part does not fit', () => {
    expect(itemsToCollapse(FIXED + MORE, FIXED, ITEMS, MORE)).toBe(5)
    expect(itemsToCollapse(100, FIXED, ITEMS, MORE)).toBe(5)
  })

  it('never collapses to make room for an item that is not there', () => {
    // The slider is absent in the editor (width 0): collapsing it alone frees nothing.
    expect(itemsToCollapse(FIXED + 370, FIXED, [0, 60, 70, 100, 140], MORE)).toBe(0)
    expect(itemsToCollapse(FIXED + 369, FIXED, [0, 60, 70, 100, 140], MORE)).toBe(3)
  })
})
