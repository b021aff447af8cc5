import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { useFiltersStore } from './filters.ts'
import { useProjectStore } from './project.ts'

export interface ClickModifiers {
  /** Shift: extend from the anchor to here, in grid order. */
  range: boolean
  /** Ctrl/Cmd: add or remove one image, keeping the rest. */
  toggle: boolean
}

/** Multi-selection in the grid. The set is replaced, never mutated, so watchers see every change. */
export const useSelectionStore = defineStore('selection', () => {
  const filters = useFiltersStore()
  const selected = shallowRef<ReadonlySet<number>>(new Set())
  /** Where a shift-click range starts. */
  const anchor = ref<number | null>(null)
  /** The image last clicked or reached with the arrow keys. */
  const cursor = ref<number | null>(null)
  const count = computed(() => selected.value.size)
  /**
   * Selected images the filter does not show: an edit can move them out of it (clearing "red" under a
   * "has red" filter). They stay selected and bulk edits still apply to them, so the bar names them.
   */
  const hidden = computed<ReadonlySet<number>>(() => {
    if (selected.value.size === 0) return new Set()
    const visible = new Set(filters.ids)
    return new Set([...selected.value].filter((id) => !visible.has(id)))
  })
  const hiddenCount = computed(() => hidden.value.size)

  function has(id: number): boolean {
    return selected.value.has(id)
  }

  function click(id: number, mods: ClickModifiers = { range: false, toggle: false }): void {
    cursor.value = id
    if (mods.range && anchor.value !== null) {
      const order = filters.ids
      const from = order.indexOf(anchor.value)
      const to = order.indexOf(id)
      if (from >= 0 && to >= 0) {
        const next = new Set<number>(mods.toggle ? selected.value : [])
        const [lo, hi] = from <= to ? [from, to] : [to, from]
        for (const inRange of order.slice(lo, hi + 1)) next.add(inRange)
        selected.value = next
        return
      }
    }
    if (mods.toggle) {
      const next = new Set(selected.value)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      selected.value = next
    } else {
      selected.value = new Set([id])
    }
    anchor.value = id
  }

  /** Ctrl+A: every image the filter shows, and nothing it hides. */
  function selectAll(): void {
    selected.value = new Set(filters.ids)
  }

  function clear(): void {
    selected.value = new Set()
    anchor.value = null
    cursor.value = null
  }

  function ids(): number[] {
    return [...selected.value]
  }

  /** Keeps only the selected images the filter shows. */
  function dropHidden(): void {
    const visible = new Set(filters.ids)
    const next = new Set([...selected.value].filter((id) => visible.has(id)))
    if (next.size !== selected.value.size) selected.value = next
    if (anchor.value !== null && !visible.has(anchor.value)) anchor.value = null
    if (cursor.value !== null && !visible.has(cursor.value)) cursor.value = null
  }

  /** The image Enter opens: the cursor's if it is selected, else the first selected one in grid order. */
  function openTarget(): number | undefined {
    if (cursor.value !== null && (selected.value.size === 0 || selected.value.has(cursor.value))) return cursor.value
    if (selected.value.size === 0) return undefined
    for (const id of filters.ids) if (selected.value.has(id)) return id
    return selected.value.values().next().value
  }

  // Another project: its image ids mean other images.
  watch(() => useProjectStore().info?.file, clear)

  // A filter the user picks drops the images it hides, so a bulk edit never reaches images not seen selected.
  // (Edits that move selected images out of the filter keep them: see hiddenCount.)
  watch(
    () => filters.filter,
    () => {
      if (selected.value.size > 0) dropHidden()
    },
  )

  return { selected, anchor, cursor, count, hidden, hiddenCount, has, click, selectAll, clear, ids, dropHidden, openTarget }
})
