import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { LabelSetEdit } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { useLabelsStore } from './labels.ts'

/** Where a refusal shows in the Labels dialog: the add form, or the row of the label it was about. */
export type LabelSetField = 'add' | { row: string }

/**
 * The Labels dialog's edits of the label set (add, rename, remove, move). Each is one undoable step: undo, redo
 * and the status line follow it as any edit, and the project and its rows are read again after it (labels.ts).
 * A refusal is kept beside the field it was about, naming the value, rather than shown as a failed save.
 */
export const useLabelSetStore = defineStore('label-set', () => {
  const bridge = getBridge()
  const labels = useLabelsStore()
  const busy = ref(false)
  const error = ref<{ field: LabelSetField; message: string } | null>(null)

  async function edit(change: LabelSetEdit, field: LabelSetField): Promise<boolean> {
    busy.value = true
    error.value = null
    // A plain copy: the dialog's fields are reactive state, which no request may carry.
    const input = { ...change }
    try {
      const answer = await bridge.invoke('labels:edit', input)
      await labels.took(answer)
      return true
    } catch (err) {
      error.value = { field, message: toWireError(err).message }
      return false
    } finally {
      busy.value = false
    }
  }

  /** The refusal to show beside this field, if the last one was about it. */
  function errorFor(field: LabelSetField): string | null {
    const e = error.value
    if (e === null) return null
    const same = typeof field === 'string' ? e.field === field : typeof e.field !== 'string' && e.field.row === field.row
    return same ? e.message : null
  }

  function clearError(): void {
    error.value = null
  }

  return { busy, error, edit, errorFor, clearError }
})
