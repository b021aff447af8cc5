import { ref, watch } from 'vue'
import { useProjectStore } from './project.ts'
import { useRequestState } from './request-state.ts'
import { useViewStore } from './view.ts'

/**
 * What the review queues (label errors, uncertainty) share: walking the queue in the editor, loading it,
 * one request at a time on the image shown, with one error for both, and dropping it all for another
 * project. `shownImage` names the image the queue is on; `forgetQueue` drops the store's own state.
 */
export function useQueueWalking(shownImage: () => number | undefined, forgetQueue: () => void) {
  const project = useProjectStore()
  const view = useViewStore()

  /** The editor shows this queue's image and the queue keys act on it. */
  const walking = ref(false)
  const loader = useRequestState()
  const actor = useRequestState(loader.error)
  const error = loader.error

  function setWalking(on: boolean): void {
    walking.value = on
  }

  /** Opens the editor on the image shown while this queue is walked. */
  function show(): boolean {
    const id = shownImage()
    if (!walking.value || id === undefined) return false
    view.openEditor(id)
    return true
  }

  /** Asks for the queue and hands the answer to `take`. */
  function load<Q>(ask: () => Promise<Q>, take: (queue: Q) => void): Promise<boolean> {
    return loader.run(async () => {
      take(await ask())
      return true
    })
  }

  function dismissError(): void {
    error.value = null
  }

  // Another project: its queue, asked for when wanted.
  watch(
    () => project.info?.file ?? null,
    (file, before) => {
      if (file === before) return
      forgetQueue()
      walking.value = false
      loader.busy.value = false
      actor.busy.value = false
      error.value = null
    },
  )

  return { walking, loading: loader.busy, busy: actor.busy, error, setWalking, show, load, act: actor.run, dismissError }
}
