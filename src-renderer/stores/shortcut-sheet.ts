import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import { shortcutSheet, type ShortcutGroup } from '../lib/shortcut-sheet.ts'
import { useLabelsStore } from './labels.ts'
import { useQueueStore } from './queue.ts'
import { useViewStore } from './view.ts'

/** The keyboard shortcut sheet: whether it is open, and the keys of the view it was opened over. */
export const useShortcutSheetStore = defineStore('shortcutSheet', () => {
  const view = useViewStore()
  const labels = useLabelsStore()
  const queue = useQueueStore()

  const open = ref(false)

  const groups = computed<ShortcutGroup[]>(() =>
    shortcutSheet({ mode: view.mode, labels: labels.labels, queue: queue.keysActive ? queue.walking : null }),
  )

  function show(): void {
    open.value = true
  }

  function close(): void {
    open.value = false
  }

  return { open, groups, show, close }
})
