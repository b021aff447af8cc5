import { onBeforeUnmount, onMounted } from 'vue'
import { labelIndexForKey } from '../lib/label-keys.ts'
import { queueKeyAction } from '../lib/queue-keys.ts'
import { useLabelsStore } from '../stores/labels.ts'
import { useQueueStore } from '../stores/queue.ts'
import { useSelectionStore } from '../stores/selection.ts'
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
 * label, J/→ next, K/← previous, Esc back to the grid; while a review queue shows its image, Enter,
 * Shift+Enter/Backspace and Tab act on it (lib/queue-keys.ts). Side panels keep their own keys.
 */
export function useReviewKeys(): void {
  const view = useViewStore()
  const selection = useSelectionStore()
  const labels = useLabelsStore()
  const queue = useQueueStore()

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
    if (e.defaultPrevented || view.panel !== 'none') return
    const typing = isTyping(e.target)
    if ((e.ctrlKey || e.metaKey) && !e.altKey) {
      if (typing) return
      const key = e.key.toLowerCase()
      if (key === 'z' || key === 'y') {
        e.preventDefault()
        void (key === 'y' || e.shiftKey ? labels.redo() : labels.undo())
      } else if (key === 'a' && view.mode === 'grid') {
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

    if (view.mode === 'grid') {
      if (e.key === 'Escape') selection.clear()
      else if (e.key === '/') {
        e.preventDefault()
        document.querySelector<HTMLInputElement>('[data-testid="search"]')?.focus()
      }
      return
    }

    const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
    if (key === 'Escape') view.closeEditor()
    else if (key === 'ArrowRight' || key === 'j') view.next()
    else if (key === 'ArrowLeft' || key === 'k') view.prev()
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

  onMounted(() => window.addEventListener('keydown', onKeydown))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKeydown))
}
