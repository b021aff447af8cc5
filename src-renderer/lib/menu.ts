/** One entry of a context menu: an action, or a submenu of further entries. */
export interface MenuEntry {
  id: string
  label: string
  /** Shown on hover: what the entry will do in full. */
  title?: string
  disabled?: boolean
  testid?: string
  /** A line above this entry, starting a new section. */
  separated?: boolean
  run?: () => void
  children?: readonly MenuEntry[]
}

/** Where a menu of size `w`×`h` goes so that it stays inside a `vw`×`vh` viewport, at least `margin` in. */
export function placeMenu(
  at: { x: number; y: number; flipX?: number },
  size: { w: number; h: number },
  viewport: { w: number; h: number },
  margin = 4,
): { left: number; top: number } {
  let left = at.x
  // A submenu that does not fit to the right opens to the left of its parent.
  if (left + size.w > viewport.w - margin && at.flipX !== undefined) left = at.flipX - size.w
  left = Math.max(margin, Math.min(left, viewport.w - size.w - margin))
  const top = Math.max(margin, Math.min(at.y, viewport.h - size.h - margin))
  return { left, top }
}

/** The next enabled index from `from` in direction `step`, wrapping; -1 when none is enabled. */
export function nextEnabled(disabled: readonly boolean[], from: number, step: 1 | -1): number {
  const n = disabled.length
  for (let k = 1; k <= n; k++) {
    const i = (((from + step * k) % n) + n) % n
    if (!disabled[i]) return i
  }
  return -1
}
