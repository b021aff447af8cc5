import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, watch } from 'vue'
import type { EditResult, ImageRow, LabelChange, Split, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { changesFor } from '../lib/groups.ts'
import { labelKeys } from '../lib/label-keys.ts'
import { RETRY_DELAYS_MS, retryLine } from '../lib/retry-line.ts'
import { useConnectionStore } from './connection.ts'
import { useImagesStore } from './images.ts'
import { useProjectStore } from './project.ts'

/**
 * 'saved' only once the service answered: the edit is committed to the project file. 'reconnecting' while
 * the link to the server or the server's database is away (edits wait and are sent again).
 */
export type SaveState = 'idle' | 'saving' | 'saved' | 'error' | 'reconnecting'

const RETRY_SECONDS = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) / 1000

export interface EditNote {
  kind: 'set' | 'undo' | 'redo' | 'split'
  cells: number
  images: number
  /** For 'split': where the images went. */
  split?: Split
  /** The kind of a step that changed the dataset's shape ('label-add', 'images-add', ...). */
  structure?: string
}

/**
 * Edits of the rows: single toggles, bulk set/clear, undo/redo and split moves, with optimistic rows and a
 * truthful saved state; plus whether undo and redo have a step to take.
 */
export const useLabelsStore = defineStore('labels', () => {
  const bridge = getBridge()
  const images = useImagesStore()
  const project = useProjectStore()
  const connection = useConnectionStore()

  const labels = computed(() => project.info?.labels ?? [])
  const groups = computed(() => project.info?.groups ?? [])
  const keys = computed(() => labelKeys(labels.value.length))
  const stored = ref<Exclude<SaveState, 'reconnecting'>>('idle')
  const error = ref<WireError | null>(null)
  /** The database failure edits are waiting out, or null. */
  const databaseAway = ref<WireError | null>(null)
  /** What is being reconnected to, if anything: the link comes first, as nothing reaches the server without it. */
  const reconnecting = computed<'server' | 'database' | null>(() =>
    connection.reconnecting ? 'server' : databaseAway.value !== null ? 'database' : null,
  )
  const saveState = computed<SaveState>(() => (reconnecting.value !== null ? 'reconnecting' : stored.value))
  const lastEdit = ref<EditNote | null>(null)
  const canUndo = ref(false)
  const canRedo = ref(false)

  let inFlight = 0
  // Images with an edit still on its way: answers and events for them must not undo the newer local state.
  const pendingByImage = new Map<number, number>()

  // Label edits and split moves set absolute values: when the server's database is away (UNAVAILABLE) they
  // wait and go again, in order; refusals (BAD_INPUT, CONFLICT, ...) are not retried.
  const retries = retryLine({
    retryable: (err) => toWireError(err).code === 'UNAVAILABLE',
    onWait: (failure) => (databaseAway.value = failure === null ? null : toWireError(failure)),
    giveUp: (failure) => {
      const { code, message } = toWireError(failure)
      return { code, message: `gave up after retrying for ${RETRY_SECONDS} s: ${message}` }
    },
  })
  onScopeDispose(() => retries.stop())

  function begin(): void {
    inFlight++
    stored.value = 'saving'
    error.value = null
  }

  function finish(failure: unknown): void {
    inFlight--
    if (failure !== undefined) {
      stored.value = 'error'
      error.value = toWireError(failure)
    } else if (inFlight === 0 && stored.value !== 'error') {
      stored.value = 'saved'
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

  /**
   * Shows `optimistic` at once, runs the request, then shows the rows the service answered (or `before` again
   * if it refused). Rows edited again meanwhile are left to their newer request.
   */
  async function commit<T>(
    before: ImageRow[],
    optimistic: ImageRow[],
    request: () => Promise<T>,
    rowsOf: (answer: T) => readonly ImageRow[],
  ): Promise<{ ok: true; answer: T } | { ok: false }> {
    for (const row of before) pendingByImage.set(row.id, (pendingByImage.get(row.id) ?? 0) + 1)
    images.patch(optimistic)
    begin()
    let outcome: { ok: true; answer: T } | { ok: false } = { ok: false }
    let failure: unknown
    try {
      // Marks around the request split an edit's round trip into UI, service and UI time (bench/ui.ts).
      performance.mark('tagsmith:edit-sent')
      outcome = { ok: true, answer: await retries.run(request) }
      performance.mark('tagsmith:edit-answered')
    } catch (err) {
      failure = err
    }
    for (const row of before) {
      const left = (pendingByImage.get(row.id) ?? 1) - 1
      if (left <= 0) pendingByImage.delete(row.id)
      else pendingByImage.set(row.id, left)
    }
    images.patch(settledRows(outcome.ok ? rowsOf(outcome.answer) : before))
    finish(failure)
    // Given up on an away database: the edit may or may not be stored, so show what the server holds.
    if (failure !== undefined && toWireError(failure).code === 'UNAVAILABLE') await showStored(before.map((r) => r.id))
    return outcome
  }

  async function showStored(ids: number[]): Promise<void> {
    try {
      const wanted = new Set(ids)
      images.patch(settledRows((await bridge.invoke('images:list', {})).filter((r) => wanted.has(r.id))))
    } catch {
      // The rows stay as they were before the edit; the save indicator names the failure.
    }
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
    }
    const outcome = await commit(before, optimistic, () => bridge.invoke('labels:set', { changes }), (r) => r.rows)
    if (!outcome.ok) return false
    noteHistory(outcome.answer)
    lastEdit.value = { kind: 'set', cells: outcome.answer.changes.length, images: outcome.answer.rows.length }
    return true
  }

  /** Moves images to another split as one split:set call (splits are not part of the label undo history). */
  async function setSplit(imageIds: Iterable<number>, split: Split): Promise<boolean> {
    const before = selectedRows(imageIds).filter((row) => row.split !== split)
    if (before.length === 0) return true
    const optimistic = before.map((row) => ({ ...row, split }))
    const imageIdsToMove = before.map((row) => row.id)
    const outcome = await commit(before, optimistic, () => bridge.invoke('split:set', { imageIds: imageIdsToMove, split }), (r) => r)
    if (!outcome.ok) return false
    lastEdit.value = { kind: 'split', cells: 0, images: outcome.answer.length, split }
    return true
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
      if (result !== null) {
        images.patch(settledRows(result.rows))
        noteHistory(result)
        await followStructure(result)
      } else void refreshHistory()
      lastEdit.value = { kind, cells: result?.changes.length ?? 0, images: result?.rows.length ?? 0, ...structureOf(result) }
    } catch (err) {
      failure = err
    }
    finish(failure)
    return failure === undefined
  }

  /**
   * Runs another request that makes one undoable edit (a review that accepts the model's view): the save
   * indicator, the rows, undo and redo and the status line follow it as they follow labels:set. A refusal
   * shows in the save indicator and is thrown on to the caller.
   */
  async function commitEdit<T>(request: () => Promise<T>, editOf: (answer: T) => EditResult | null): Promise<T> {
    begin()
    let answer: T
    try {
      answer = await request()
    } catch (err) {
      finish(err)
      throw err
    }
    const edit = editOf(answer)
    if (edit !== null) await took(edit)
    finish(undefined)
    return answer
  }

  /**
   * An undoable edit another store already made (the Labels dialog's, whose refusals are shown beside their
   * field, not as a failed save): the rows, undo and redo, the status line and, after a step that changed the
   * dataset's shape, the project and its rows follow it.
   */
  async function took(edit: EditResult): Promise<void> {
    images.patch(settledRows(edit.rows))
    noteHistory(edit)
    await followStructure(edit)
    lastEdit.value = { kind: 'set', cells: edit.changes.length, images: edit.rows.length, ...structureOf(edit) }
  }

  /** A step that changed the label set or the rows: the project and its rows are read again. */
  async function followStructure(edit: { structure?: string } | null): Promise<void> {
    if (edit?.structure !== undefined) await project.reload()
  }

  const structureOf = (edit: { structure?: string } | null): { structure?: string } =>
    edit?.structure === undefined ? {} : { structure: edit.structure }

  const undo = (): Promise<boolean> => step('undo')
  const redo = (): Promise<boolean> => step('redo')

  function noteHistory(state: { canUndo: boolean; canRedo: boolean }): void {
    canUndo.value = state.canUndo
    canRedo.value = state.canRedo
  }

  /** Asks the service whether undo and redo have a step (the edit log outlives sessions and windows). */
  async function refreshHistory(): Promise<void> {
    try {
      noteHistory(await bridge.invoke('labels:history', {}))
    } catch {
      // Only a hint for the buttons: leave them usable; undo and redo report their own errors.
      noteHistory({ canUndo: true, canRedo: true })
    }
  }

  watch(
    () => project.info?.file,
    (file) => {
      if (file === undefined) noteHistory({ canUndo: false, canRedo: false })
      else void refreshHistory()
    },
    { immediate: true },
  )

  // Rows changed in another window: take them, and its edits may have changed what undo and redo do here.
  const off = bridge.on('labels:changed', ({ rows, structure }) => {
    images.patch(settledRows(rows))
    void refreshHistory()
    void followStructure({ structure })
  })
  onScopeDispose(off)

  return { labels, groups, keys, saveState, reconnecting, error, databaseAway, lastEdit, canUndo, canRedo, apply, commitEdit, took, toggle, setMany, setSplit, undo, redo }
})
