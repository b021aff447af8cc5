import { defineStore } from 'pinia'
import { watch } from 'vue'
import { modelValue } from '../lib/queue-walk.ts'
import { useImagesStore } from './images.ts'
import { useLabelsStore } from './labels.ts'
import { useSuspectsQueueStore } from './suspects-queue.ts'

/**
 * Undo and redo seen from the label-error queue. An undo that puts an accepted pair's cell back to its stored
 * value asks the pair again; a redo that gives the pair shown the model's view again moves on as the accept
 * did. Either way the counts are asked again, since the service counts the cells as they are. Any edit may
 * be undone (Ctrl+Z, the top bar), so this watches the labels store rather than the queue's own actions.
 */
export const useSuspectsUndoStore = defineStore('suspectsUndo', () => {
  const images = useImagesStore()
  const labels = useLabelsStore()
  const suspects = useSuspectsQueueStore()

  function cellOf(imageId: number, label: string): 0 | 1 | null | undefined {
    const i = labels.labels.indexOf(label)
    return i < 0 ? undefined : images.row(imageId)?.labels[i]
  }

  watch(
    () => labels.lastEdit,
    (note) => {
      if (suspects.queue === null || note === null || (note.kind !== 'undo' && note.kind !== 'redo')) return
      if (note.kind === 'undo') {
        const last = suspects.lastAccepted()
        if (last !== undefined && cellOf(last.imageId, last.label) === last.stored) suspects.restoreLast()
      } else {
        const p = suspects.pair
        if (p !== null && cellOf(p.imageId, p.label) === modelValue(p)) suspects.acceptedAgain(p)
      }
      void suspects.refreshCounts()
    },
  )

  return {}
})
