import type { Ref } from 'vue'
import { useFiltersStore } from '../stores/filters.ts'
import { useSelectionStore } from '../stores/selection.ts'
import { useViewStore } from '../stores/view.ts'

/**
 * Keys on the focused grid: arrows move the cursor (Shift extends the selection), Home/End jump,
 * Space toggles the cursor's image, Enter opens it in the editor.
 */
export function useGridKeys(columns: Ref<number>, reveal: (index: number) => void) {
  const filters = useFiltersStore()
  const selection = useSelectionStore()
  const view = useViewStore()

  function moveCursor(delta: number, extend: boolean): void {
    const list = filters.ids
    if (list.length === 0) return
    const at = selection.cursor === null ? -1 : list.indexOf(selection.cursor)
    const next = Math.min(list.length - 1, Math.max(0, at < 0 ? 0 : at + delta))
    const id = list[next]
    if (id === undefined) return
    // Shift+arrow grows the range from its anchor, as shift-click does.
    selection.click(id, { range: extend, toggle: false })
    reveal(next)
  }

  function onKeydown(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey) return
    const cols = columns.value
    const steps: Record<string, number> = {
      ArrowRight: 1,
      ArrowLeft: -1,
      ArrowDown: cols,
      ArrowUp: -cols,
      Home: -filters.ids.length,
      End: filters.ids.length,
    }
    const delta = steps[e.key]
    if (delta !== undefined) {
      e.preventDefault()
      moveCursor(delta, e.shiftKey)
    } else if (e.key === 'Enter') {
      const id = selection.cursor ?? filters.ids[0]
      if (id !== undefined) {
        e.preventDefault()
        view.openEditor(id)
      }
    } else if (e.key === ' ' && selection.cursor !== null) {
      e.preventDefault()
      selection.click(selection.cursor, { range: false, toggle: true })
    }
  }

  return { onKeydown }
}
