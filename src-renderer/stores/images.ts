import { defineStore } from 'pinia'
import { computed, markRaw, ref, shallowRef } from 'vue'
import type { ImageRow, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'

/**
 * Every row of the project in a plain array plus an id -> index map. Rows are raw (not deeply reactive):
 * an edit replaces the changed row objects and bumps `version`, so lists keyed by id re-render only the
 * tiles whose row object changed.
 */
function sameRow(a: ImageRow, b: ImageRow): boolean {
  if (a.edited !== b.edited || a.split !== b.split || a.status !== b.status || a.path !== b.path) return false
  if (a.labels.length !== b.labels.length) return false
  for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) return false
  return true
}

export const useImagesStore = defineStore('images', () => {
  const bridge = getBridge()
  const rows = shallowRef<readonly ImageRow[]>(markRaw([]))
  const version = ref(0)
  const loading = ref(false)
  const error = ref<WireError | null>(null)
  let index = new Map<number, number>()

  const count = computed(() => {
    void version.value
    return rows.value.length
  })

  async function load(): Promise<void> {
    loading.value = true
    error.value = null
    try {
      performance.mark('tagsmith:rows-requested')
      const list = await bridge.invoke('images:list', {})
      performance.mark('tagsmith:rows-received')
      replaceAll(list)
    } catch (err) {
      error.value = toWireError(err)
    } finally {
      loading.value = false
    }
  }

  function replaceAll(list: ImageRow[]): void {
    index = new Map(list.map((r, i) => [r.id, i]))
    rows.value = markRaw(list)
    version.value++
  }

  function reset(): void {
    replaceAll([])
  }

  function row(id: number): ImageRow | undefined {
    const i = index.get(id)
    return i === undefined ? undefined : rows.value[i]
  }

  /**
   * Puts new row objects in place of the old ones with the same id. Unknown ids, and rows equal to what is
   * shown (the service confirming an optimistic edit), change nothing, so they cost no recount.
   */
  function patch(updated: readonly ImageRow[]): void {
    const list = rows.value as ImageRow[]
    let changed = false
    for (const r of updated) {
      const i = index.get(r.id)
      const old = i === undefined ? undefined : list[i]
      if (i === undefined || old === undefined || sameRow(old, r)) continue
      list[i] = r
      changed = true
    }
    if (changed) version.value++
  }

  /** Where an <img> loads an image from: the cached thumbnail, or the original file for the editor. */
  function thumbUrl(id: number): string {
    return bridge.imageUrl(id, 'thumb')
  }

  function fullUrl(id: number): string {
    return bridge.imageUrl(id, 'full')
  }

  return { rows, version, count, loading, error, load, reset, row, patch, thumbUrl, fullUrl }
})
