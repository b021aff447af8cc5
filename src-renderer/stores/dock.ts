import { defineStore } from 'pinia'
import { ref } from 'vue'

/** The side panels that dock beside the grid or the editor. */
export type DockPanel = 'train' | 'predictions' | 'issues' | 'health' | 'try'

/**
 * Which side panel is docked. One value, so opening a panel closes the one shown by construction: no store
 * closes another's panel. Each store opens and closes its own (and loads what it shows) and reads `panel`
 * to know whether it is shown.
 */
export const useDockStore = defineStore('dock', () => {
  const panel = ref<DockPanel | null>(null)

  function open(which: DockPanel): void {
    panel.value = which
  }

  /** Closes `which` only if it is what shows: a panel opened since stays. */
  function close(which: DockPanel): void {
    if (panel.value === which) panel.value = null
  }

  return { panel, open, close }
})
