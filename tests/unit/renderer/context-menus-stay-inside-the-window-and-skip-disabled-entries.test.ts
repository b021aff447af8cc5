import { describe, expect, it } from 'vitest'
import { nextEnabled, placeMenu } from '../../../src-renderer/lib/menu.ts'

const VIEW = { w: 1280, h: 720 }

describe('context menu placement', () => {
  it('opens at the pointer when it fits', () => {
    expect(placeMenu({ x: 100, y: 200 }, { w: 200, h: 150 }, VIEW)).toEqual({ left: 100, top: 200 })
  })

  it('moves in from the right and bottom edges, and never above or left of the window', () => {
    expect(placeMenu({ x: 1250, y: 700 }, { w: 200, h: 150 }, VIEW)).toEqual({ left: 1076, top: 566 })
    expect(placeMenu({ x: 10, y: 10 }, { w: 2000, h: 900 }, VIEW)).toEqual({ left: 4, top: 4 })
  })

  it('a submenu that does not fit to the right of its parent opens to its left', () => {
    // Parent item spans 1000..1180; the submenu is 180 wide.
    expect(placeMenu({ x: 1178, y: 300, flipX: 1002 }, { w: 180, h: 300 }, VIEW)).toEqual({ left: 822, top: 300 })
    expect(placeMenu({ x: 600, y: 300, flipX: 420 }, { w: 180, h: 300 }, VIEW)).toEqual({ left: 600, top: 300 })
  })
})

describe('menu keys', () => {
  it('arrows skip disabled entries and wrap around', () => {
    const disabled = [false, true, false, true]
    expect(nextEnabled(disabled, 0, 1)).toBe(2)
    expect(nextEnabled(disabled, 2, 1)).toBe(0)
    expect(nextEnabled(disabled, 0, -1)).toBe(2)
    expect(nextEnabled(disabled, -1, 1)).toBe(0)
    expect(nextEnabled([true, true], -1, 1)).toBe(-1)
  })
})
