import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ReviewAction, Suspect, SuspectQueue } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { afterReview, afterSkip, currentPair, QUEUE_LIMIT, restorePair, suspectWalk, type SuspectWalk } from '../lib/queue-walk.ts'
import { useActiveRunStore } from './active-run.ts'
import { useLabelsStore } from './labels.ts'
import { useQueueWalking } from './queue-walking.ts'

/**
 * The label-error queue: the active run's likely mislabeled (image, label) pairs, walked image by image in
 * the editor. Accepting the model's view is an edit like any other (rows, undo state, saved state), sent
 * through the labels store; keeping the stored label is remembered by the service. The only caller of the
 * bridge for the quality:suspects and quality:review requests.
 */
export const useSuspectsQueueStore = defineStore('suspectsQueue', () => {
  const bridge = getBridge()
  const labels = useLabelsStore()
  const activeRun = useActiveRunStore()

  const queue = shallowRef<SuspectQueue | null>(null)
  const walk = shallowRef<SuspectWalk | null>(null)
  const reviewed = ref(0)
  const fixed = ref(0)
  /** Accepted pairs, latest last: an undo that restores one of them puts it back in the queue. */
  let accepted: Suspect[] = []
  const { walking, loading, busy, error, position, done, load, setWalking, show, jumpTo, act, dismissError } = useQueueWalking({
    // The active run's queue (the pinned run, else the latest).
    ask: () => bridge.invoke('quality:suspects', activeRun.activeId === null ? { limit: QUEUE_LIMIT } : { runId: activeRun.activeId, limit: QUEUE_LIMIT }),
    take,
    reset() {
      forget()
      reviewed.value = 0
      fixed.value = 0
    },
    place: () => (walk.value === null ? null : { at: walk.value.at, length: walk.value.images.length }),
    moveTo(index) {
      if (walk.value !== null) walk.value = { ...walk.value, at: index }
    },
    shownImage: () => pair.value?.imageId,
  })

  const pair = computed(() => (walk.value === null ? null : currentPair(walk.value)))
  /** Images the run found a suspect pair in (reviewed ones included): said once, beside the list. */
  const total = computed(() => queue.value?.total ?? 0)
  /** Images of the loaded list: the walk's positions and the panel's counters count against it. */
  const listed = computed(() => walk.value?.images.length ?? 0)

  function take(q: SuspectQueue): void {
    queue.value = q
    walk.value = suspectWalk(q)
    reviewed.value = q.reviewed
    fixed.value = q.fixed
    accepted = []
  }

  /** Drops the queue (a newer run ranks the pairs anew); it is asked for again when wanted. */
  function forget(): void {
    queue.value = null
    walk.value = null
    accepted = []
  }

  /** Sends a review of the pair shown; 'accept' stores the model's view as one undoable edit. */
  async function review(action: ReviewAction): Promise<boolean> {
    const p = pair.value
    const q = queue.value
    const w = walk.value
    if (p === null || q === null || w === null || busy.value) return false
    return act(async () => {
      const request = () => bridge.invoke('quality:review', { runId: q.runId, imageId: p.imageId, label: p.label, action })
      // An accept is an edit: the labels store shows it (and a refusal) as it shows labels:set.
      const answer = action === 'accept' ? await labels.commitEdit(request, (a) => a.edit) : await request()
      if (answer.edit !== null) accepted.push(p)
      reviewed.value = answer.reviewed
      fixed.value = answer.fixed
      // Only move on if the walk was not moved meanwhile (an undo, a jump).
      if (walk.value === w) walk.value = afterReview(w)
      show()
      return true
    })
  }

  /** Moves on without a verdict: the image stays in the queue for another session. */
  function skip(): void {
    if (walk.value !== null) walk.value = afterSkip(walk.value)
  }

  // ---- what undo and redo of an accept need (the suspects undo store decides when) ----

  function lastAccepted(): Suspect | undefined {
    return accepted.at(-1)
  }

  /** The latest accepted pair was undone: it is asked again, now. */
  function restoreLast(): void {
    const w = walk.value
    const last = accepted.at(-1)
    if (w === null || last === undefined) return
    accepted.pop()
    walk.value = restorePair(w, last)
    show()
  }

  /** The pair shown holds the model's view again (a redo of its accept): the walk moves on as after it. */
  function acceptedAgain(p: Suspect): void {
    const w = walk.value
    if (w === null) return
    accepted.push(p)
    walk.value = afterReview(w)
    show()
  }

  /** The counts as the service has them now (an undo takes an accepted pair back out of them). */
  async function refreshCounts(): Promise<void> {
    const q = queue.value
    if (q === null) return
    try {
      const answer = await bridge.invoke('quality:suspects', { runId: q.runId, limit: 1 })
      reviewed.value = answer.reviewed
      fixed.value = answer.fixed
    } catch (err) {
      error.value = toWireError(err)
    }
  }

  return {
    queue,
    walk,
    pair,
    reviewed,
    fixed,
    total,
    listed,
    position,
    done,
    walking,
    loading,
    busy,
    error,
    load,
    forget,
    setWalking,
    show,
    jumpTo,
    review,
    skip,
    lastAccepted,
    restoreLast,
    acceptedAgain,
    refreshCounts,
    dismissError,
  }
})
