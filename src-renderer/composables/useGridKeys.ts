import type { Ref } from 'vue'
import { chordOf, GRID_MENU_CHORDS, GRID_MOVES, GRID_OPEN_KEY, GRID_TOGGLE_KEY, type GridMove } from '../lib/key-registry.ts'
import { useFiltersStore } from '../stores/filters.ts'
import { useSelectionStore } from '../stores/selection.ts'
import { useViewStore } from '../stores/view.ts'

/**
 * Keys on the focused grid: arrows move the cursor (Shift extends the selection), Home/End jump,
 * Space toggles the cursor's image, Enter opens it in the editor (the cursor's image, or the first selected
 * one), Shift+F10 or the menu key opens the tile's context menu.
 */
export function useGridKeys(columns: Ref<number>, reveal: (index: number) => void, openMenu: () => void) {
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
    if (GRID_MENU_CHORDS.includes(chordOf(e))) {
      e.preventDefault()
      openMenu()
      return
    }
    const cols = columns.value
    const steps: Record<GridMove, number> = {
      right: 1,
      left: -1,
      down: cols,
      up: -cols,
      first: -filters.ids.length,
      last: filters.ids.length,
    }
    const move = (GRID_MOVES as Partial<Record<string, GridMove>>)[e.key]
    if (move !== undefined) {
      e.preventDefault()
      moveCursor(steps[move], e.shiftKey)
    } else if (e.shiftKey) {
      // Shift extends a move; with Enter or Space it is no shortcut.
    } else if (e.key === GRID_OPEN_KEY) {
      const id = selection.openTarget() ?? filters.ids[0]
      if (id !== undefined) {
        e.preventDefault()
        view.openEditor(id)
      }
    } else if (e.key === GRID_TOGGLE_KEY && selection.cursor !== null) {
      e.preventDefault()
      selection.click(selection.cursor, { range: false, toggle: true })
    }
  }

  return { onKeydown }
}
