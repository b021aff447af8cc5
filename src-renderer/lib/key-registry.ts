// The keys of the review screen, in one place: the handlers (useGridKeys, useReviewKeys, queue-keys.ts)
// match against these, and the shortcut sheet (shortcut-sheet.ts) lists them, so the two cannot drift.

/** Grid cursor moves (useGridKeys): the key and where it takes the cursor. */
export const GRID_MOVES = {
  ArrowRight: 'right',
  ArrowLeft: 'left',
  ArrowDown: 'down',
  ArrowUp: 'up',
  Home: 'first',
  End: 'last',
} as const satisfies Record<string, string>

export type GridMove = (typeof GRID_MOVES)[keyof typeof GRID_MOVES]

/** Enter opens the cursor's image in the editor; Space toggles it in the selection. */
export const GRID_OPEN_KEY = 'Enter'
export const GRID_TOGGLE_KEY = ' '

/** The focused tile's context menu (chordOf's names). */
export const GRID_MENU_CHORDS: readonly string[] = ['ContextMenu', 'Shift+F10']

/** With Ctrl (or ⌘): undo, redo (also Ctrl+Shift+Z), select every image shown. */
export const UNDO_KEY = 'z'
export const REDO_KEY = 'y'
export const SELECT_ALL_KEY = 'a'

/** Grid: Esc clears the selection, / jumps to the search field. */
export const CLEAR_SELECTION_KEY = 'Escape'
export const SEARCH_KEY = '/'

/** Editor: next and previous image, back to the grid. Letters match in either case. */
export const EDITOR_NEXT_KEYS: readonly string[] = ['ArrowRight', 'j']
export const EDITOR_PREV_KEYS: readonly string[] = ['ArrowLeft', 'k']
export const EDITOR_CLOSE_KEY = 'Escape'

/** Grid (the cursor's image) and editor (the image shown): the images most like it. No label takes this key. */
export const SIMILAR_KEY = 's'

/** Opens the shortcut sheet, wherever the review screen is (Shift+/ on most layouts). */
export const SHEET_KEY = '?'

/** What a key press needs to be named: KeyboardEvent's key and modifier fields. */
export interface KeyPress {
  key: string
  shiftKey: boolean
  ctrlKey: boolean
  metaKey: boolean
  altKey: boolean
}

/**
 * A key press as the sheet names it: "Ctrl+Shift+Z", "Shift+ArrowRight", "J", "?", "Space". A printed
 * character names itself (Shift is already in it: "?" or "J"), unless Ctrl or Alt is held; ⌘ counts as Ctrl,
 * as the handlers treat it.
 */
export function chordOf(e: KeyPress): string {
  const printed = e.key.length === 1
  const name = e.key === ' ' ? 'Space' : printed ? e.key.toUpperCase() : e.key
  const ctrl = e.ctrlKey || e.metaKey
  const mods = [ctrl ? 'Ctrl' : '', e.altKey ? 'Alt' : '', e.shiftKey && (!printed || ctrl || e.altKey) ? 'Shift' : '']
  return [...mods.filter((m) => m !== ''), name].join('+')
}

/** A chord as the key itself reads it on a keyboard: arrows as ←→↑↓, Escape as Esc. */
export function keyLabel(chord: string): string {
  const names: Record<string, string> = { ArrowRight: '→', ArrowLeft: '←', ArrowUp: '↑', ArrowDown: '↓', Escape: 'Esc' }
  return chord
    .split('+')
    .map((part) => names[part] ?? part)
    .join('+')
}
