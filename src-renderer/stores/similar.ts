import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { useActiveRunStore } from './active-run.ts'
import { useFiltersStore } from './filters.ts'
import { useImagesStore } from './images.ts'
import { useProjectStore } from './project.ts'
import { useRequestState } from './request-state.ts'
import { useViewStore } from './view.ts'

/** Images a similar-images view asks for: the query and the 199 most like it. */
export const SIMILAR_TOP = 200

/**
 * Similar images (key S, the tile menu): asks the service for the images most like one image by the
 * features of the active run, and shows them in the grid as one filter step (Back returns to the filter
 * before). Opened from the editor, the editor closes onto that grid.
 */
export const useSimilarStore = defineStore('similar', () => {
  const bridge = getBridge()
  const filters = useFiltersStore()
  const images = useImagesStore()
  const view = useViewStore()
  const activeRun = useActiveRunStore()
  const { busy, error, run } = useRequestState(ref<WireError | null>(null))
  // Only the latest request's answer is shown: pressing S on another image meanwhile wins.
  let asked = 0

  async function open(imageId: number): Promise<boolean> {
    const ticket = ++asked
    return run(async () => {
      const runId = activeRun.activeId ?? undefined
      const answer = await bridge.invoke('images:similar', runId === undefined ? { imageId, top: SIMILAR_TOP } : { imageId, runId, top: SIMILAR_TOP })
      if (ticket !== asked) return false
      const path = images.row(answer.query)?.path ?? `#${answer.query}`
      filters.showSimilar(
        answer.items.map((i) => i.id),
        {
          query: answer.query,
          name: path.split(/[\\/]/).pop() ?? path,
          similarity: answer.items.map((i) => i.similarity),
          missing: answer.missing,
          features: answer.features,
        },
      )
      if (view.mode === 'editor') view.closeEditor()
      return true
    })
  }

  function dismissError(): void {
    error.value = null
  }

  // Another project: an answer still on its way is about the old one.
  watch(
    () => useProjectStore().info?.file,
    () => {
      asked++
      error.value = null
    },
  )

  return { busy, error, open, dismissError }
})
