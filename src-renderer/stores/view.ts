import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { AppCommand } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { useFiltersStore } from './filters.ts'
import { useProjectStore } from './project.ts'

export type Panel = 'none' | 'groups' | 'labels' | 'export'

const TILE_KEY = 'tagsmith.tileSize'
export const TILE_MIN = 80
export const TILE_MAX = 320

function storedTileSize(): number {
  const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(TILE_KEY)
  const n = raw === null ? NaN : Number(raw)
  return Number.isFinite(n) ? Math.min(TILE_MAX, Math.max(TILE_MIN, n)) : 150
}

/** What the review screen shows: the grid or one image in the editor, tile size, the open side panel. */
export const useViewStore = defineStore('view', () => {
  const filters = useFiltersStore()
  /** The last menu command from the application menu; `seq` makes a repeat of the same command visible. */
  const command = shallowRef<{ command: AppCommand; seq: number } | null>(null)
  const current = ref<number | null>(null)
  /** The image the editor showed last, so the grid can scroll back to it. */
  const lastOpened = ref<number | null>(null)
  const tileSize = ref(storedTileSize())
  const panel = ref<Panel>('none')
  // Where the open image sat in the filtered list, so next/prev still work after an edit filters it out.
  let position = 0

  const mode = computed<'grid' | 'editor'>(() => (current.value === null ? 'grid' : 'editor'))
  const positionLabel = computed(() => {
    if (current.value === null) return ''
    const at = filters.ids.indexOf(current.value)
    return at >= 0 ? `${at + 1} / ${filters.ids.length}` : `– / ${filters.ids.length}`
  })

  function openEditor(id: number): void {
    current.value = id
    const at = filters.ids.indexOf(id)
    if (at >= 0) position = at
  }

  function closeEditor(): void {
    lastOpened.value = current.value
    current.value = null
  }

  function move(delta: 1 | -1): void {
    const ids = filters.ids
    if (ids.length === 0) return
    const at = current.value === null ? -1 : ids.indexOf(current.value)
    let next: number
    if (at >= 0) next = at + delta
    // The open image left the filter: the image now at its old place is the "next" one.
    else next = delta === 1 ? position : position - 1
    next = Math.min(ids.length - 1, Math.max(0, next))
    const id = ids[next]
    if (id === undefined) return
    position = next
    current.value = id
  }

  const next = (): void => move(1)
  const prev = (): void => move(-1)

  function setTileSize(px: number): void {
    tileSize.value = Math.min(TILE_MAX, Math.max(TILE_MIN, Math.round(px)))
  }

  function openPanel(p: Panel): void {
    panel.value = p
  }

  watch(
    () => useProjectStore().info?.file,
    () => {
      current.value = null
      lastOpened.value = null
      panel.value = 'none'
    },
  )

  watch(tileSize, (px) => {
    if (typeof localStorage !== 'undefined') localStorage.setItem(TILE_KEY, String(px))
  })

  let seq = 0
  const off = getBridge().on('app:command', ({ command: c }) => {
    command.value = { command: c, seq: ++seq }
  })
  onScopeDispose(off)

  return { command, current, lastOpened, mode, tileSize, panel, positionLabel, openEditor, closeEditor, next, prev, setTileSize, openPanel }
})
