import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useGridKeys } from '../../../src-renderer/composables/useGridKeys.ts'
import { reviewKeydown } from '../../../src-renderer/composables/useReviewKeys.ts'
import { chordOf, type KeyPress } from '../../../src-renderer/lib/key-registry.ts'
import { QUEUE_KEY_HINTS } from '../../../src-renderer/lib/queue-keys.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useQueueStore, type QueueTab } from '../../../src-renderer/stores/queue.ts'
import { useSelectionStore } from '../../../src-renderer/stores/selection.ts'
import { useShortcutSheetStore } from '../../../src-renderer/stores/shortcut-sheet.ts'
import { useSimilarStore } from '../../../src-renderer/stores/similar.ts'
import { useSuspectsQueueStore } from '../../../src-renderer/stores/suspects-queue.ts'
import { useUncertainQueueStore } from '../../../src-renderer/stores/uncertain-queue.ts'
import { useViewStore } from '../../../src-renderer/stores/view.ts'
import { APPAREL, type FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { QueueBridge } from './queue-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

// The handlers ask what the event's target is and focus the search field: a page's names, without a page.
beforeEach(() => {
  class Element {}
  vi.stubGlobal('HTMLElement', Element)
  for (const name of ['HTMLInputElement', 'HTMLTextAreaElement', 'HTMLSelectElement']) vi.stubGlobal(name, class extends Element {})
  vi.stubGlobal('document', { querySelector: () => null })
})
afterEach(() => vi.unstubAllGlobals())

type View = 'grid' | 'editor' | QueueTab

/** The project open in the view, then every action of the stores the handlers call replaced by a recorder. */
async function inView(view: View): Promise<{ calls: string[]; press: (p: KeyPress) => boolean; chords: Set<string> }> {
  await openProject(new QueueBridge(), use)
  const queue = useQueueStore()
  if (view === 'editor') useViewStore().openEditor(1)
  if (view === 'suspects' || view === 'uncertain') {
    queue.openPanel(view)
    const loaded = view === 'suspects' ? useSuspectsQueueStore() : useUncertainQueueStore()
    await vi.waitFor(() => expect(loaded.queue).not.toBeNull())
    expect(await queue.start(view)).toBe(true)
    expect(queue.keysActive).toBe(true)
  }
  if (view === 'grid') useSelectionStore().click(useFiltersStore().ids[1] ?? -1, { range: false, toggle: false })
  const sheet = useShortcutSheetStore()
  const chords = new Set(sheet.groups.flatMap((g) => g.rows.flatMap((r) => r.chords)))

  const calls: string[] = []
  const stores = { view: useViewStore(), selection: useSelectionStore(), labels: useLabelsStore(), queue, sheet, similar: useSimilarStore() } as Record<string, object>
  for (const [storeName, store] of Object.entries(stores)) {
    for (const [name, value] of Object.entries(store)) {
      if (typeof value !== 'function' || name.startsWith('$') || name.startsWith('_')) continue
      vi.spyOn(store as Record<string, () => unknown>, name).mockImplementation(() => void calls.push(`${storeName}.${name}`))
    }
  }
  const onReview = reviewKeydown()
  const onGrid = useGridKeys(ref(3), () => undefined, () => void calls.push('grid.openMenu')).onKeydown
  /** Sends a key press as the page would (the focused grid first, then the window); true if it did something. */
  function press(p: KeyPress): boolean {
    const before = calls.length
    const e = {
      ...p,
      repeat: false,
      target: null,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true
      },
    }
    if (view === 'grid') onGrid(e as unknown as KeyboardEvent)
    onReview(e as unknown as KeyboardEvent)
    return e.defaultPrevented || calls.length > before
  }
  return { calls, press, chords }
}

const KEYS = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789/?.,;-=[]\\\'` ',
  ...['Enter', 'Escape', 'Tab', 'Backspace', 'Delete', 'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight'],
  ...['Home', 'End', 'PageUp', 'PageDown', 'Insert', 'F1', 'F2', 'F5', 'F10', 'F12', 'ContextMenu'],
]
const MODS: Array<Omit<KeyPress, 'key'>> = [
  { shiftKey: false, ctrlKey: false, metaKey: false, altKey: false },
  { shiftKey: true, ctrlKey: false, metaKey: false, altKey: false },
  { shiftKey: false, ctrlKey: true, metaKey: false, altKey: false },
  { shiftKey: true, ctrlKey: true, metaKey: false, altKey: false },
  { shiftKey: false, ctrlKey: false, metaKey: true, altKey: false },
  { shiftKey: false, ctrlKey: false, metaKey: false, altKey: true },
]
/** Every press tried: a letter with Shift comes as its capital, as a keyboard sends it. */
const PRESSES: KeyPress[] = KEYS.flatMap((key) => MODS.map((m) => ({ ...m, key: m.shiftKey && /^[a-z]$/.test(key) ? key.toUpperCase() : key })))

/** A chord the sheet names, back as the key press a keyboard sends. */
function pressOf(chord: string): KeyPress {
  const parts = chord.split('+')
  const name = parts.at(-1) ?? ''
  const shiftKey = parts.includes('Shift') || name === '?'
  const key = name === 'Space' ? ' ' : name.length === 1 && !shiftKey ? name.toLowerCase() : name
  return { key, shiftKey, ctrlKey: parts.includes('Ctrl'), metaKey: false, altKey: parts.includes('Alt') }
}

describe('the shortcut sheet', () => {
  it.each<View>(['grid', 'editor', 'suspects', 'uncertain'])('lists every key the %s view acts on, and each key it lists does something', async (view) => {
    const { press, chords } = await inView(view)
    const handled = PRESSES.filter((p) => press(p)).map(chordOf)
    expect(handled.length).toBeGreaterThan(5)
    expect([...new Set(handled)].filter((c) => !chords.has(c))).toEqual([])
    expect([...chords].filter((c) => !press(pressOf(c)))).toEqual([])
  })

  it('names the project labels with their keys in the editor, and the queue keys while a queue is walked', async () => {
    await inView('suspects')
    const groups = useShortcutSheetStore().groups
    expect(groups.map((g) => g.title)).toEqual(['Likely mislabeled queue', 'Editor', 'Everywhere'])
    const rows = groups.flatMap((g) => g.rows)
    expect(rows).toContainEqual({ chords: ['1'], what: `turn ${APPAREL[0]} on or off` })
    expect(rows).toContainEqual({ chords: ['Q'], what: `turn ${APPAREL[10]} on or off` })
    expect(rows).toContainEqual({ chords: ['ArrowRight', 'J'], what: 'next image' })
    expect(rows.find((r) => r.what.startsWith('keep'))?.chords).toEqual(['Shift+Enter', 'Backspace', 'Shift+Backspace'])
    expect(QUEUE_KEY_HINTS).toEqual({ accept: 'Enter', keep: 'Shift+Enter or Backspace', skip: 'Tab', confirm: 'Enter' })
  })

  it('opens with ? but not while typing, and the review keys rest while it is open', async () => {
    const { press, calls } = await inView('editor')
    const sheet = useShortcutSheetStore()
    vi.mocked(sheet.show).mockImplementation(() => void (sheet.open = true))
    const typing = { key: '?', shiftKey: true, ctrlKey: false, metaKey: false, altKey: false, target: new (globalThis.HTMLTextAreaElement)() }
    const onReview = reviewKeydown()
    onReview({ ...typing, preventDefault: () => undefined } as unknown as KeyboardEvent)
    expect(sheet.open).toBe(false)
    expect(press({ key: '?', shiftKey: true, ctrlKey: false, metaKey: false, altKey: false })).toBe(true)
    expect(sheet.open).toBe(true)
    const before = calls.length
    expect(press({ key: 'j', shiftKey: false, ctrlKey: false, metaKey: false, altKey: false })).toBe(false)
    expect(calls.length).toBe(before)
  })
})
