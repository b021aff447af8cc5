import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { useImagesStore } from './images.ts'
import { useProjectStore } from './project.ts'

/** What the grid does with image files themselves: show one in its folder (desktop app only), copy paths. */
export const useFileActionsStore = defineStore('file-actions', () => {
  const bridge = getBridge()
  const project = useProjectStore()
  const images = useImagesStore()
  const error = ref<WireError | null>(null)
  /** Only the desktop app has a file manager to show a file in; web mode does not offer it. */
  const canReveal = computed(() => project.app?.mode === 'electron')

  async function reveal(id: number): Promise<void> {
    error.value = null
    try {
      await bridge.invoke('image:reveal', { id })
    } catch (err) {
      error.value = toWireError(err)
    }
  }

  /** The images' paths as the CSV writes them, one a line, on the clipboard. */
  async function copyPaths(ids: readonly number[]): Promise<string> {
    const text = ids.flatMap((id) => images.row(id)?.path ?? []).join('\n')
    error.value = null
    try {
      await navigator.clipboard.writeText(text)
    } catch (err) {
      error.value = { code: 'CLIPBOARD', message: `could not copy to the clipboard: ${toWireError(err).message}` }
    }
    return text
  }

  function dismiss(): void {
    error.value = null
  }

  return { error, canReveal, reveal, copyPaths, dismiss }
})
