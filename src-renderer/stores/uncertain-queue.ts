import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { UncertainItem, UncertainQueue } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { QUEUE_LIMIT } from '../lib/queue-walk.ts'
import { useActiveRunStore } from './active-run.ts'
import { useQueueWalking } from './queue-walking.ts'
import { useTrainingStore } from './training.ts'

/** The warm retrain of the uncertainty queue: none yet, training, the queue reloaded, or it did not work. */
export type RetrainState = 'idle' | 'retraining' | 'refreshed' | 'failed'

/** Confirmations between two warm retrains, unless the user sets another number. */
export const RETRAIN_EVERY = 20

/**
 * The uncertainty queue (active learning): images with empty cells first, then those whose probabilities
 * sit closest to a threshold, walked in the editor. Every `retrainEvery` confirmations a warm retrain with
 * the active run's settings (training.retrainWith) refreshes the order. The only caller of the bridge for
 * the quality:uncertain and quality:confirm requests.
 */
export const useUncertainQueueStore = defineStore('uncertainQueue', () => {
  const bridge = getBridge()
  const training = useTrainingStore()
  const activeRun = useActiveRunStore()

  const queue = shallowRef<UncertainQueue | null>(null)
  /** The index of the image shown; those before it were confirmed or skipped. */
  const at = ref(0)
  const confirmed = ref(0)
  const retrainEvery = ref(RETRAIN_EVERY)
  const sinceRetrain = ref(0)
  const retrain = ref<RetrainState>('idle')
  const retrainError = ref<string | null>(null)
  let retrainJob: string | null = null
  const { walking, loading, busy, error, position, done, load, setWalking, show, jumpTo, act, dismissError } = useQueueWalking({
    // The active run's queue (the pinned run, else the latest).
    ask: () => bridge.invoke('quality:uncertain', activeRun.activeId === null ? { limit: QUEUE_LIMIT } : { runId: activeRun.activeId, limit: QUEUE_LIMIT }),
    take,
    // Another project: the retrain's state goes with the queue.
    reset() {
      queue.value = null
      at.value = 0
      confirmed.value = 0
      sinceRetrain.value = 0
      retrain.value = 'idle'
      retrainError.value = null
      retrainJob = null
    },
    place: () => (queue.value === null ? null : { at: at.value, length: queue.value.items.length }),
    moveTo(index) {
      at.value = index
    },
    shownImage: () => item.value?.imageId,
  })

  const item = computed<UncertainItem | null>(() => queue.value?.items[at.value] ?? null)
  /** Images of the loaded list (the first of queue.total): the walk's positions count against it. */
  const listed = computed(() => queue.value?.items.length ?? 0)

  /** A new order; the image being looked at stays first so a refresh never pulls it away. */
  function take(q: UncertainQueue): void {
    const shown = walking.value ? item.value?.imageId : undefined
    const from = shown === undefined ? -1 : q.items.findIndex((i) => i.imageId === shown)
    const items = from > 0 ? [q.items[from] as UncertainItem, ...q.items.slice(0, from), ...q.items.slice(from + 1)] : q.items
    queue.value = { ...q, items }
    at.value = 0
    confirmed.value = q.confirmed
  }

  /** Moves on without confirming: the image stays in the queue for another session. */
  function skip(): void {
    if (queue.value !== null && at.value < queue.value.items.length) at.value++
  }

  /** Marks the image shown as looked at; every `retrainEvery` of them, a warm retrain follows. */
  async function confirm(): Promise<boolean> {
    const shown = item.value
    const q = queue.value
    if (shown === null || q === null || busy.value) return false
    return act(async () => {
      const answer = await bridge.invoke('quality:confirm', { runId: q.runId, imageId: shown.imageId })
      confirmed.value = answer.confirmed
      if (queue.value === q && at.value < q.items.length) at.value++
      show()
      sinceRetrain.value++
      if (sinceRetrain.value >= retrainEvery.value) void warmRetrain()
      return true
    })
  }

  function setRetrainEvery(n: number): void {
    if (Number.isFinite(n)) retrainEvery.value = Math.max(1, Math.round(n))
  }

  /**
   * Trains again with the active run's settings (features are cached: only the head trains). The Train
   * panel's settings stay as the user left them.
   */
  async function warmRetrain(): Promise<boolean> {
    if (retrain.value === 'retraining') return false
    sinceRetrain.value = 0
    retrain.value = 'retraining'
    retrainError.value = null
    retrainJob = null
    await training.loadRuns()
    // The warm retrain repeats the active run's settings.
    const latest = training.runs.find((r) => r.id === activeRun.activeId) ?? training.runs.at(-1)
    const started = latest !== undefined && (await training.retrainWith(latest.id))
    if (!started) {
      retrain.value = 'failed'
      retrainError.value =
        latest === undefined
          ? 'no trained run to retrain'
          : (training.error?.message ?? (training.running ? 'a training is already running' : 'training could not start'))
      return false
    }
    retrainJob = training.jobId
    return true
  }

  // The retrain's run is stored: the order is asked of it.
  watch(
    () => training.result,
    (result) => {
      if (retrain.value !== 'retraining' || result === null) return
      if (retrainJob !== null && result.jobId !== retrainJob) return
      void bridge.invoke('quality:uncertain', { runId: result.runId, limit: QUEUE_LIMIT }).then(
        (q) => {
          take(q)
          retrain.value = 'refreshed'
        },
        (err: unknown) => {
          retrain.value = 'failed'
          retrainError.value = toWireError(err).message
        },
      )
    },
  )

  watch(
    () => training.phase,
    (phase) => {
      if (retrain.value === 'retraining' && (phase === 'failed' || phase === 'cancelled')) {
        retrain.value = 'failed'
        retrainError.value = phase === 'cancelled' ? 'the retrain was cancelled' : (training.error?.message ?? 'the retrain failed')
      }
    },
  )

  return {
    queue,
    at,
    item,
    listed,
    confirmed,
    position,
    done,
    walking,
    loading,
    busy,
    error,
    retrainEvery,
    sinceRetrain,
    retrain,
    retrainError,
    load,
    setWalking,
    show,
    jumpTo,
    skip,
    confirm,
    setRetrainEvery,
    warmRetrain,
    dismissError,
  }
})
