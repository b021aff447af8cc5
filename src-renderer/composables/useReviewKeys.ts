import { onBeforeUnmount, onMounted } from 'vue'
import {
  CLEAR_SELECTION_KEY,
  EDITOR_CLOSE_KEY,
  EDITOR_NEXT_KEYS,
  EDITOR_PREV_KEYS,
  REDO_KEY,
  SEARCH_KEY,
  SELECT_ALL_KEY,
  SHEET_KEY,
  SIMILAR_KEY,
  UNDO_KEY,
} from '../lib/key-registry.ts'
import { labelIndexForKey } from '../lib/label-keys.ts'
import { queueKeyAction } from '../lib/queue-keys.ts'
import { useLabelsStore } from '../stores/labels.ts'
import { useQueueStore } from '../stores/queue.ts'
import { useSelectionStore } from '../stores/selection.ts'
import { useShortcutSheetStore } from '../stores/shortcut-sheet.ts'
import { useSimilarStore } from '../stores/similar.ts'
import { useViewStore } from '../stores/view.ts'

const TEXT_INPUTS = new Set(['text', 'search', 'url', 'email', 'number', 'password', ''])

/** True while the user types into a field: single-letter shortcuts must not steal those keys. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true
  return target instanceof HTMLInputElement && TEXT_INPUTS.has(target.type)
}

/**
 * The review screen's keyboard: undo/redo everywhere, Ctrl+A and Esc in the grid; in the editor one key per
 * label, J/→ next, K/← previous, Esc back to the grid; S (grid and editor) the images most like the cursor's or
 * the open image; while a review queue shows its image, Enter,
 * Shift+Enter/Backspace and Tab act on it (lib/queue-keys.ts); ? opens the shortcut sheet. Side panels keep
 * their own keys. The keys are lib/key-registry.ts's, which the sheet lists.
 */
export function useReviewKeys(): void {
  const onKeydown = reviewKeydown()
  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}

/** The review screen's keydown handler (useReviewKeys listens with it on the window). */
export function reviewKeydown(): (e: KeyboardEvent) => void {
  const view = useViewStore()
  const selection = useSelectionStore()
  const labels = useLabelsStore()
  const queue = useQueueStore()
  const sheet = useShortcutSheetStore()
  const similar = useSimilarStore()

  /** S: the images most like one image, asked once per press. */
  function showSimilar(e: KeyboardEvent, id: number | undefined): void {
    if (id === undefined) return
    e.preventDefault()
    if (!e.repeat) void similar.open(id)
  }

  /** A queue key on the queue's image: carried out once per press (a held key does not race through). */
  function onQueueKey(e: KeyboardEvent): boolean {
    if (!queue.keysActive || e.ctrlKey || e.metaKey || e.altKey || queue.walking === null) return false
    const action = queueKeyAction(e, queue.walking)
    if (action === null) return false
    e.preventDefault()
    if (e.repeat) return true
    if (action === 'accept') void queue.accept()
    else if (action === 'keep') void queue.keep()
    else if (action === 'confirm') void queue.confirm()
    else queue.skip()
    return true
  }

  function onKeydown(e: KeyboardEvent): void {
    if (e.defaultPrevented || view.panel !== 'none' || sheet.open) return
    const typing = isTyping(e.target)
    if ((e.ctrlKey || e.metaKey) && !e.altKey) {
      if (typing) return
      const key = e.key.toLowerCase()
      const redo = key === REDO_KEY ? !e.shiftKey : key === UNDO_KEY && e.shiftKey
      if (redo || (key === UNDO_KEY && !e.shiftKey)) {
        e.preventDefault()
        void (redo ? labels.redo() : labels.undo())
      } else if (key === SELECT_ALL_KEY && !e.shiftKey && view.mode === 'grid') {
        e.preventDefault()
        selection.selectAll()
      }
      return
    }
    if (typing) {
      if (e.key === 'Escape' && e.target instanceof HTMLElement) e.target.blur()
      return
    }
    if (e.altKey) return
    if (onQueueKey(e)) return
    if (e.key === SHEET_KEY) {
      e.preventDefault()
      sheet.show()
      return
    }
    // Shift with a named key (Shift+Esc, Shift+→) is no shortcut here: only the queue keys use it.
    if (e.shiftKey && e.key.length > 1) return

    if (view.mode === 'grid') {
      if (e.key === CLEAR_SELECTION_KEY) selection.clear()
      else if (e.key === SEARCH_KEY) {
        e.preventDefault()
        document.querySelector<HTMLInputElement>('[data-testid="search"]')?.focus()
      } else if (e.key.toLowerCase() === SIMILAR_KEY) showSimilar(e, selection.cursor ?? selection.openTarget())
      return
    }

    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
    if (key === EDITOR_CLOSE_KEY) view.closeEditor()
    else if (EDITOR_NEXT_KEYS.includes(key)) view.next()
    else if (EDITOR_PREV_KEYS.includes(key)) view.prev()
    else if (key === SIMILAR_KEY) return showSimilar(e, view.current ?? undefined)
    else {
      const i = labelIndexForKey(key, labels.labels.length)
      const label = labels.labels[i]
      if (label === undefined || view.current === null) return
      e.preventDefault()
      // A held key would flip the label back and forth: only the first press counts.
      if (!e.repeat) void labels.toggle(view.current, label)
      return
    }
    e.preventDefault()
  }

  return onKeydown
}
