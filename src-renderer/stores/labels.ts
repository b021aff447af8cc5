import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref } from 'vue'
import type { EditResult, ImageRow, LabelChange, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { changesFor } from '../lib/groups.ts'
import { labelKeys } from '../lib/label-keys.ts'
import { useImagesStore } from './images.ts'
import { useProjectStore } from './project.ts'

/** 'saved' only once the service answered: the edit is committed to the project file. */
export type SaveState = 'idle' | 'saving' | 'saved' | 'error'

export interface EditNote {
  kind: 'set' | 'undo' | 'redo'
  cells: number
  images: number
}

/** Label edits: single toggles, bulk set/clear, undo/redo, with optimistic rows and a truthful saved state. */
export const useLabelsStore = defineStore('labels', () => {
  const bridge = getBridge()
  const images = useImagesStore()
  const project = useProjectStore()

  const labels = computed(() => project.info?.labels ?? [])
  const groups = computed(() => project.info?.groups ?? [])
  const keys = computed(() => labelKeys(labels.value.length))
  const saveState = ref<SaveState>('idle')
  const error = ref<WireError | null>(null)
  const lastEdit = ref<EditNote | null>(null)

  let inFlight = 0
  // Images with an edit still on its way: answers and events for them must not undo the newer local state.
  const pendingByImage = new Map<number, number>()

  function begin(): void {
    inFlight++
    saveState.value = 'saving'
    error.value = null
  }

  function finish(failure: unknown): void {
    inFlight--
    if (failure !== undefined) {
      saveState.value = 'error'
      error.value = toWireError(failure)
    } else if (inFlight === 0 && saveState.value !== 'error') {
      saveState.value = 'saved'
    }
  }

  function settledRows(rows: readonly ImageRow[]): ImageRow[] {
    return rows.filter((r) => (pendingByImage.get(r.id) ?? 0) === 0)
  }

  function withChanges(row: ImageRow, changes: readonly LabelChange[]): ImageRow {
    const values = row.labels.slice()
    for (const c of changes) {
      const i = labels.value.indexOf(c.label)
      if (i >= 0) values[i] = c.value
    }
    return { ...row, labels: values, edited: true }
  }

  /** Sends one labels:set (one undoable step). Resolves false if the service refused it. */
  async function apply(changes: LabelChange[]): Promise<boolean> {
    if (changes.length === 0) return true
    const byImage = new Map<number, LabelChange[]>()
    for (const c of changes) {
      const list = byImage.get(c.imageId)
      if (list === undefined) byImage.set(c.imageId, [c])
      else list.push(c)
    }
    const before: ImageRow[] = []
    const optimistic: ImageRow[] = []
    for (const [id, list] of byImage) {
      const row = images.row(id)
      if (row === undefined) continue
      before.push(row)
      optimistic.push(withChanges(row, list))
      pendingByImage.set(id, (pendingByImage.get(id) ?? 0) + 1)
    }
    images.patch(optimistic)
    begin()
    let failure: unknown
    let result: EditResult | undefined
    try {
      // Marks around the request split an edit's round trip into UI, service and UI time (bench/ui.ts).
      performance.mark('tagsmith:edit-sent')
      result = await bridge.invoke('labels:set', { changes })
      performance.mark('tagsmith:edit-answered')
    } catch (err) {
      failure = err
    }
    for (const id of byImage.keys()) {
      const left = (pendingByImage.get(id) ?? 1) - 1
      if (left <= 0) pendingByImage.delete(id)
      else pendingByImage.set(id, left)
    }
    if (result !== undefined) {
      images.patch(settledRows(result.rows))
      lastEdit.value = { kind: 'set', cells: result.changes.length, images: result.rows.length }
    } else {
      images.patch(settledRows(before))
    }
    finish(failure)
    return failure === undefined
  }

  function selectedRows(ids: Iterable<number>): ImageRow[] {
    const out: ImageRow[] = []
    for (const id of ids) {
      const row = images.row(id)
      if (row !== undefined) out.push(row)
    }
    return out
  }

  /** Flips one label of one image; turning it on clears the other labels of its group in the same step. */
  function toggle(imageId: number, label: string): Promise<boolean> {
    const row = images.row(imageId)
    const i = labels.value.indexOf(label)
    if (row === undefined || i < 0) return Promise.resolve(false)
    const value = row.labels[i] === 1 ? 0 : 1
    return apply(changesFor([row], labels.value, groups.value, label, value))
  }

  /** Sets (1) or clears (0) a label on many images as one labels:set call. */
  function setMany(imageIds: Iterable<number>, label: string, value: 0 | 1): Promise<boolean> {
    return apply(changesFor(selectedRows(imageIds), labels.value, groups.value, label, value))
  }

  async function step(kind: 'undo' | 'redo'): Promise<boolean> {
    begin()
    let failure: unknown
    try {
      const result = await bridge.invoke(kind === 'undo' ? 'labels:undo' : 'labels:redo', {})
      if (result !== null) images.patch(settledRows(result.rows))
      lastEdit.value = { kind, cells: result?.changes.length ?? 0, images: result?.rows.length ?? 0 }
    } catch (err) {
      failure = err
    }
    finish(failure)
    return failure === undefined
  }

  const undo = (): Promise<boolean> => step('undo')
  const redo = (): Promise<boolean> => step('redo')

  const off = bridge.on('labels:changed', ({ rows }) => images.patch(settledRows(rows)))
  onScopeDispose(off)

  return { labels, groups, keys, saveState, error, lastEdit, apply, toggle, setMany, undo, redo }
})
