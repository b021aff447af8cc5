import type { QueueTab } from '../stores/queue.ts'
import {
  chordOf,
  CLEAR_SELECTION_KEY,
  EDITOR_CLOSE_KEY,
  EDITOR_NEXT_KEYS,
  EDITOR_PREV_KEYS,
  GRID_MENU_CHORDS,
  GRID_MOVES,
  GRID_OPEN_KEY,
  GRID_TOGGLE_KEY,
  REDO_KEY,
  SEARCH_KEY,
  SELECT_ALL_KEY,
  SHEET_KEY,
  SIMILAR_KEY,
  UNDO_KEY,
  type KeyPress,
} from './key-registry.ts'
import { labelKeys } from './label-keys.ts'
import { QUEUE_KEYS } from './queue-keys.ts'

/** One line of the sheet: the chords (chordOf's names) that do one thing. */
export interface ShortcutRow {
  chords: string[]
  what: string
}

export interface ShortcutGroup {
  title: string
  rows: ShortcutRow[]
}

/** Which keys apply: the grid or the editor, the project's labels, and the queue the editor walks. */
export interface SheetView {
  mode: 'grid' | 'editor'
  labels: readonly string[]
  /** The queue whose keys apply now (the editor shows its current image), or null. */
  queue: QueueTab | null
}

const press = (key: string, mods: Partial<Omit<KeyPress, 'key'>> = {}): string =>
  chordOf({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods })

const GRID_MOVE_WORDS: Record<string, string> = {
  right: 'next image',
  left: 'previous image',
  down: 'image below',
  up: 'image above',
  first: 'first image',
  last: 'last image',
}

function gridGroup(): ShortcutGroup {
  const moves = Object.entries(GRID_MOVES)
  return {
    title: 'Grid (when it has the focus)',
    rows: [
      ...moves.map(([key, move]) => ({ chords: [press(key)], what: `cursor to the ${GRID_MOVE_WORDS[move] ?? move}` })),
      { chords: moves.map(([key]) => press(key, { shiftKey: true })), what: 'move the cursor and extend the selection' },
      { chords: [press(GRID_TOGGLE_KEY)], what: "add or remove the cursor's image from the selection" },
      { chords: [press(GRID_OPEN_KEY)], what: "open the cursor's image in the editor" },
      { chords: [...GRID_MENU_CHORDS], what: "the image's menu" },
    ],
  }
}

function reviewGrid(): ShortcutGroup {
  return {
    title: 'Review',
    rows: [
      { chords: [press(SELECT_ALL_KEY, { ctrlKey: true })], what: 'select every image shown' },
      { chords: [press(CLEAR_SELECTION_KEY)], what: 'clear the selection' },
      { chords: [press(SEARCH_KEY)], what: 'search the image paths' },
      { chords: [press(SIMILAR_KEY)], what: "the images most like the cursor's image" },
    ],
  }
}

function editorGroup(labels: readonly string[]): ShortcutGroup {
  const keys = labelKeys(labels.length)
  const rows: ShortcutRow[] = []
  labels.forEach((label, i) => {
    const key = keys[i]
    if (key !== null && key !== undefined) rows.push({ chords: [press(key)], what: `turn ${label} on or off` })
  })
  return {
    title: 'Editor',
    rows: [
      { chords: EDITOR_NEXT_KEYS.map((k) => press(k)), what: 'next image' },
      { chords: EDITOR_PREV_KEYS.map((k) => press(k)), what: 'previous image' },
      { chords: [press(EDITOR_CLOSE_KEY)], what: 'back to the grid' },
      { chords: [press(SIMILAR_KEY)], what: 'the images most like this one, in the grid' },
      ...rows,
    ],
  }
}

function queueGroup(tab: QueueTab): ShortcutGroup {
  const rows: ShortcutRow[] = []
  for (const k of QUEUE_KEYS.filter((q) => q.tabs.includes(tab))) {
    const chord = press(k.key, { shiftKey: k.shift })
    const same = rows.find((r) => r.what === k.what)
    if (same) same.chords.push(chord)
    else rows.push({ chords: [chord], what: k.what })
  }
  return { title: tab === 'suspects' ? 'Likely mislabeled queue' : 'Uncertain queue', rows }
}

function everywhere(): ShortcutGroup {
  return {
    title: 'Everywhere',
    rows: [
      { chords: [press(UNDO_KEY, { ctrlKey: true })], what: 'undo the last edit' },
      { chords: [press(REDO_KEY, { ctrlKey: true }), press(UNDO_KEY, { ctrlKey: true, shiftKey: true })], what: 'redo' },
      { chords: [press(SHEET_KEY)], what: 'this list of keys' },
    ],
  }
}

/** The keys the view accepts now, grouped as the sheet shows them; queue keys come first while walked. */
export function shortcutSheet(view: SheetView): ShortcutGroup[] {
  if (view.mode === 'grid') return [gridGroup(), reviewGrid(), everywhere()]
  return [...(view.queue === null ? [] : [queueGroup(view.queue)]), editorGroup(view.labels), everywhere()]
}

/** Every chord the sheet lists for a view. */
export function sheetChords(view: SheetView): Set<string> {
  return new Set(shortcutSheet(view).flatMap((g) => g.rows.flatMap((r) => r.chords)))
}
