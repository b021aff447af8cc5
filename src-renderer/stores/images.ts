import { defineStore } from 'pinia'
import { computed, markRaw, onScopeDispose, ref, shallowRef } from 'vue'
import type { ImageRow } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import type { RowChange } from '../lib/filter.ts'
import { useRequestState } from './request-state.ts'

// Patches remembered for readers that update their results from the changed rows alone. A large patch
// (a bulk edit) is not: reading every row again costs about the same and keeps no old rows alive.
const JOURNAL_VERSIONS = 64
const JOURNAL_MAX_ROWS = 256

/**
 * Every row of the project in a plain array plus an id -> index map. Rows are raw (not deeply reactive):
 * an edit replaces the changed row objects and bumps `version`, so lists keyed by id re-render only the
 * tiles whose row object changed.
 */
function sameRow(a: ImageRow, b: ImageRow): boolean {
  if (a.edited !== b.edited || a.split !== b.split || a.status !== b.status || a.path !== b.path || a.hash8 !== b.hash8) return false
  if (a.labels.length !== b.labels.length) return false
  for (let i = 0; i < a.labels.length; i++) if (a.labels[i] !== b.labels[i]) return false
  return true
}

export const useImagesStore = defineStore('images', () => {
  const bridge = getBridge()
  const rows = shallowRef<readonly ImageRow[]>(markRaw([]))
  const version = ref(0)
  const { busy: loading, error, run } = useRequestState()
  let index = new Map<number, number>()
  // The row replacements of the latest patches, by the version each produced. A reader that last looked at
  // a version older than `journalFrom` (before a reload, or too long ago) must read every row again.
  let journal: Array<{ version: number; changes: RowChange[] }> = []
  let journalFrom = 0
  // hash8 -> the top, middle and bottom colours (18 hex digits) of the images whose thumbnails were made.
  const tints = shallowRef<ReadonlyMap<string, string>>(new Map())

  const count = computed(() => {
    void version.value
    return rows.value.length
  })

  async function load(): Promise<void> {
    await run(async () => {
      performance.mark('tagsmith:rows-requested')
      const list = await bridge.invoke('images:list', {})
      performance.mark('tagsmith:rows-received')
      replaceAll(list)
      void refreshTints()
      return true
    })
  }

  // Rows other people changed while the page's link was down came as events that were lost: once the
  // link is back (web mode), the rows are read again.
  let linkDropped = false
  const offLink = bridge.link?.watch((state) => {
    if (state.kind === 'reconnecting') linkDropped = true
    else if (state.kind === 'open' && linkDropped) {
      linkDropped = false
      if (rows.value.length > 0) void load()
    }
  })
  if (offLink) onScopeDispose(offLink)

  /**
   * Reads the tints again (after rows load, and when the background thumbnail job ends). Best effort: a
   * tile without a tint keeps the plain background, so a failure here is not shown.
   */
  async function refreshTints(): Promise<void> {
    let packed: string
    try {
      packed = await bridge.invoke('images:tints', {})
    } catch {
      return
    }
    const next = new Map<string, string>()
    for (let i = 0; i + 26 <= packed.length; i += 26) next.set(packed.slice(i, i + 8), packed.slice(i + 8, i + 26))
    tints.value = next
  }

  /** What a tile shows until its thumbnail has loaded: the image's colours, top to bottom, or null. */
  function placeholder(id: number): string | null {
    const hash8 = row(id)?.hash8
    const hex = hash8 ? tints.value.get(hash8) : undefined
    if (hex === undefined) return null
    return `linear-gradient(#${hex.slice(0, 6)}, #${hex.slice(6, 12)}, #${hex.slice(12, 18)})`
  }

  function replaceAll(list: ImageRow[]): void {
    index = new Map(list.map((r, i) => [r.id, i]))
    rows.value = markRaw(list)
    version.value++
    journal = []
    journalFrom = version.value
  }

  function reset(): void {
    replaceAll([])
  }

  function row(id: number): ImageRow | undefined {
    const i = index.get(id)
    return i === undefined ? undefined : rows.value[i]
  }

  /** A row's place in the project's order (-1 for an unknown id). */
  function position(id: number): number {
    return index.get(id) ?? -1
  }

  /**
   * The rows replaced since `since` (a value of `version`), oldest first; null when the rows were
   * reloaded since, or the changes are no longer remembered: the caller then reads every row.
   */
  function changesSince(since: number): RowChange[] | null {
    if (since < journalFrom) return null
    const out: RowChange[] = []
    for (const entry of journal) if (entry.version > since) out.push(...entry.changes)
    return out
  }

  /**
   * Puts new row objects in place of the old ones with the same id. Unknown ids, and rows equal to what is
   * shown (the service confirming an optimistic edit), change nothing, so they cost no recount.
   */
  function patch(updated: readonly ImageRow[]): void {
    const list = rows.value as ImageRow[]
    const changes: RowChange[] = []
    for (const r of updated) {
      const i = index.get(r.id)
      const old = i === undefined ? undefined : list[i]
      if (i === undefined || old === undefined || sameRow(old, r)) continue
      list[i] = r
      changes.push({ before: old, after: r })
    }
    if (changes.length === 0) return
    version.value++
    if (changes.length > JOURNAL_MAX_ROWS) {
      journal = []
      journalFrom = version.value
      return
    }
    journal.push({ version: version.value, changes })
    if (journal.length > JOURNAL_VERSIONS) {
      journal.shift()
      journalFrom = (journal[0]?.version ?? version.value + 1) - 1
    }
  }

  /**
   * Where an <img> loads an image from: the thumbnail, whose address carries the image's content hash so it
   * is cached for good, or the original file for the editor.
   */
  function thumbUrl(id: number): string {
    return bridge.imageUrl(id, 'thumb', row(id)?.hash8)
  }

  // The original file may change on disk after import (the hash is the import's): it is revalidated instead.
  function fullUrl(id: number): string {
    return bridge.imageUrl(id, 'full')
  }

  return { rows, version, count, loading, error, load, reset, row, position, changesSince, patch, thumbUrl, fullUrl, refreshTints, placeholder }
})
