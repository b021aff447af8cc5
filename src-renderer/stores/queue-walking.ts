import { computed, ref, watch } from 'vue'
import { walkPosition } from '../lib/queue-walk.ts'
import { useProjectStore } from './project.ts'
import { useRequestState } from './request-state.ts'
import { useViewStore } from './view.ts'

/** How a review queue store keeps its queue; useQueueWalking walks it through these. */
export interface QueueSides<Q> {
  /** Asks the service for the queue. */
  ask(): Promise<Q>
  /** Keeps a queue the service sent. */
  take(queue: Q): void
  /** Drops the store's own state: another project is open. */
  reset(): void
  /** The index shown and how many images the loaded queue has; null while none is loaded. */
  place(): { at: number; length: number } | null
  /** Moves the walk to an index of the loaded queue. */
  moveTo(index: number): void
  /** The image the walk is on; undefined past its end or while no queue is loaded. */
  shownImage(): number | undefined
}

/**
 * What the review queues (label errors, uncertainty) share: loading the queue, walking it in the editor,
 * one request at a time on the image shown with one error for both, and dropping it all for another
 * project.
 */
export function useQueueWalking<Q>(sides: QueueSides<Q>) {
  const project = useProjectStore()
  const view = useViewStore()

  /** The editor shows this queue's image and the queue keys act on it. */
  const walking = ref(false)
  const loader = useRequestState()
  const actor = useRequestState(loader.error)
  const error = loader.error

  /** Where the walk is, e.g. "3 / 120" (images of the loaded queue). */
  const position = computed(() => {
    const p = sides.place()
    return p === null ? '' : walkPosition(p.at, p.length)
  })
  const done = computed(() => sides.place() !== null && sides.shownImage() === undefined)

  function load(): Promise<boolean> {
    return loader.run(async () => {
      sides.take(await sides.ask())
      return true
    })
  }

  function setWalking(on: boolean): void {
    walking.value = on
  }

  /** Opens the editor on the image shown while this queue is walked. */
  function show(): boolean {
    const id = sides.shownImage()
    if (!walking.value || id === undefined) return false
    view.openEditor(id)
    return true
  }

  /** Moves the walk to an image of the list; false when there is no such image. */
  function jumpTo(index: number): boolean {
    const p = sides.place()
    if (p === null || index < 0 || index >= p.length) return false
    sides.moveTo(index)
    return true
  }

  function dismissError(): void {
    error.value = null
  }

  // Another project: its queue, asked for when wanted.
  watch(
    () => project.info?.file ?? null,
    (file, before) => {
      if (file === before) return
      sides.reset()
      walking.value = false
      loader.busy.value = false
      actor.busy.value = false
      error.value = null
    },
  )

  return { walking, loading: loader.busy, busy: actor.busy, error, position, done, load, setWalking, show, jumpTo, act: actor.run, dismissError }
}
