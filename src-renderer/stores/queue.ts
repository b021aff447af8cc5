import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { ReviewAction, Suspect, SuspectQueue, UncertainItem, UncertainQueue, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import {
  afterReview,
  afterSkip,
  currentPair,
  modelValue,
  restorePair,
  suspectNote,
  suspectWalk,
  uncertainNote,
  type SuspectWalk,
} from '../lib/queue-walk.ts'
import { useDockStore } from './dock.ts'
import { useImagesStore } from './images.ts'
import { useLabelsStore } from './labels.ts'
import { useProjectStore } from './project.ts'
import { useTrainingStore } from './training.ts'
import { useViewStore } from './view.ts'

export type QueueTab = 'suspects' | 'uncertain'
/** The warm retrain of the uncertainty queue: none yet, training, the queue reloaded, or it did not work. */
export type RetrainState = 'idle' | 'retraining' | 'refreshed' | 'failed'

/** Confirmations between two warm retrains, unless the user sets another number. */
export const RETRAIN_EVERY = 20
/** Images asked for per queue: more than a session reviews, few enough to answer at once. */
const QUEUE_LIMIT = 500

/** What the editor marks on a label of the image it shows. */
export interface QueueHighlight {
  imageId: number
  label: string
  note: string
}

/**
 * The "Find issues" mode: the label-error queue (likely mislabeled pairs of the latest run) and the
 * uncertainty queue, walked in the editor. Accepting the model's view is an edit like any other (rows,
 * undo state, saved state); a warm retrain after every N confirmations refreshes the uncertainty order.
 * The only caller of the bridge for quality requests.
 */
export const useQueueStore = defineStore('queue', () => {
  const bridge = getBridge()
  const project = useProjectStore()
  const images = useImagesStore()
  const labels = useLabelsStore()
  const view = useViewStore()
  const training = useTrainingStore()
  const dock = useDockStore()

  const shown = computed(() => dock.panel === 'issues')
  const tab = ref<QueueTab>('suspects')
  /** The queue whose current image the editor shows and the queue keys act on; null: none started. */
  const walking = ref<QueueTab | null>(null)
  const loading = ref<QueueTab | null>(null)
  const busy = ref(false)
  const error = ref<WireError | null>(null)

  const suspects = shallowRef<SuspectQueue | null>(null)
  const walk = shallowRef<SuspectWalk | null>(null)
  const reviewed = ref(0)
  const fixed = ref(0)
  /** Accepted pairs, latest last: an undo that restores one of them puts it back in the queue. */
  let accepted: Suspect[] = []

  const uncertain = shallowRef<UncertainQueue | null>(null)
  const uncertainAt = ref(0)
  const confirmed = ref(0)
  const retrainEvery = ref(RETRAIN_EVERY)
  const sinceRetrain = ref(0)
  const retrain = ref<RetrainState>('idle')
  const retrainError = ref<string | null>(null)
  let retrainJob: string | null = null

  const pair = computed(() => (walk.value === null ? null : currentPair(walk.value)))
  const uncertainItem = computed<UncertainItem | null>(() => uncertain.value?.items[uncertainAt.value] ?? null)
  const suspectTotal = computed(() => suspects.value?.total ?? 0)
  /** Where the walk is, e.g. "3 / 120" (images of the loaded queue). */
  const position = computed(() => {
    if (tab.value === 'suspects') {
      const w = walk.value
      return w === null ? '' : `${Math.min(w.at + 1, w.images.length)} / ${w.images.length}`
    }
    const q = uncertain.value
    return q === null ? '' : `${Math.min(uncertainAt.value + 1, q.items.length)} / ${q.items.length}`
  })
  const done = computed(() => (tab.value === 'suspects' ? walk.value !== null && pair.value === null : uncertain.value !== null && uncertainItem.value === null))

  const currentImageId = computed<number | null>(() => {
    if (walking.value === 'suspects') return pair.value?.imageId ?? null
    if (walking.value === 'uncertain') return uncertainItem.value?.imageId ?? null
    return null
  })

  const highlight = computed<QueueHighlight | null>(() => {
    if (!shown.value) return null
    if (walking.value === 'suspects' && pair.value !== null) {
      return { imageId: pair.value.imageId, label: pair.value.label, note: suspectNote(pair.value) }
    }
    const item = uncertainItem.value
    if (walking.value === 'uncertain' && item !== null && item.label !== null) {
      const note = uncertainNote(item)
      if (note !== null) return { imageId: item.imageId, label: item.label, note }
    }
    return null
  })

  /** The queue keys apply while the editor shows the queue's current image. */
  const keysActive = computed(() => shown.value && walking.value !== null && view.mode === 'editor' && view.current === currentImageId.value)

  // ---- panel ----

  /** Docked where the Train, Predictions and Health panels go: one side panel at a time. */
  function openPanel(which?: QueueTab): void {
    dock.open('issues')
    if (which !== undefined) tab.value = which
    void ensureLoaded(tab.value)
  }

  function closePanel(): void {
    dock.close('issues')
    walking.value = null
  }

  function togglePanel(): void {
    if (shown.value) closePanel()
    else openPanel()
  }

  function setTab(which: QueueTab): void {
    tab.value = which
    void ensureLoaded(which)
  }

  function dismissError(): void {
    error.value = null
  }

  // ---- loading ----

  async function ensureLoaded(which: QueueTab): Promise<void> {
    if (which === 'suspects' ? suspects.value === null : uncertain.value === null) await load(which)
  }

  async function load(which: QueueTab): Promise<boolean> {
    loading.value = which
    error.value = null
    try {
      if (which === 'suspects') takeSuspects(await bridge.invoke('quality:suspects', { limit: QUEUE_LIMIT }))
      else takeUncertain(await bridge.invoke('quality:uncertain', { limit: QUEUE_LIMIT }))
      return true
    } catch (err) {
      error.value = toWireError(err)
      return false
    } finally {
      if (loading.value === which) loading.value = null
    }
  }

  function takeSuspects(q: SuspectQueue): void {
    suspects.value = q
    walk.value = suspectWalk(q)
    reviewed.value = q.reviewed
    fixed.value = q.fixed
    accepted = []
  }

  /** A new order; the image being looked at stays first so a refresh never pulls it away. */
  function takeUncertain(q: UncertainQueue): void {
    const shown = walking.value === 'uncertain' ? uncertainItem.value?.imageId : undefined
    const at = shown === undefined ? -1 : q.items.findIndex((i) => i.imageId === shown)
    const items = at > 0 ? [q.items[at] as UncertainItem, ...q.items.slice(0, at), ...q.items.slice(at + 1)] : q.items
    uncertain.value = { ...q, items }
    uncertainAt.value = 0
    confirmed.value = q.confirmed
  }

  // ---- walking ----

  /** Starts walking a queue: the editor opens on its current image. */
  async function start(which: QueueTab = tab.value): Promise<boolean> {
    tab.value = which
    await ensureLoaded(which)
    walking.value = which
    return show()
  }

  function stop(): void {
    walking.value = null
  }

  function show(): boolean {
    const id = currentImageId.value
    if (id === null) return false
    view.openEditor(id)
    return true
  }

  /** Jumps to an image of the queue shown in the panel, and walks that queue from there. */
  function jumpTo(index: number): void {
    if (tab.value === 'suspects') {
      const w = walk.value
      if (w === null || index < 0 || index >= w.images.length) return
      walk.value = { ...w, at: index }
    } else {
      const q = uncertain.value
      if (q === null || index < 0 || index >= q.items.length) return
      uncertainAt.value = index
    }
    walking.value = tab.value
    show()
  }

  /** Sends a review of the pair shown; 'accept' stores the model's view as one undoable edit. */
  async function review(action: ReviewAction): Promise<boolean> {
    const p = pair.value
    const q = suspects.value
    const w = walk.value
    if (p === null || q === null || w === null || busy.value) return false
    busy.value = true
    error.value = null
    try {
      const request = () => bridge.invoke('quality:review', { runId: q.runId, imageId: p.imageId, label: p.label, action })
      // An accept is an edit: the labels store shows it (and a refusal) as it shows labels:set.
      const answer = action === 'accept' ? await labels.commitEdit(request, (a) => a.edit) : await request()
      if (answer.edit !== null) accepted.push(p)
      reviewed.value = answer.reviewed
      fixed.value = answer.fixed
      // Only move on if the walk was not moved meanwhile (an undo, a jump).
      if (walk.value === w) walk.value = afterReview(w)
      if (walking.value === 'suspects') show()
      return true
    } catch (err) {
      error.value = toWireError(err)
      return false
    } finally {
      busy.value = false
    }
  }

  const accept = (): Promise<boolean> => review('accept')
  const keep = (): Promise<boolean> => review('keep')

  /** Moves on without a verdict: the image stays in the queue for another session. */
  function skip(): void {
    if ((walking.value ?? tab.value) === 'suspects') {
      if (walk.value !== null) walk.value = afterSkip(walk.value)
    } else if (uncertain.value !== null && uncertainAt.value < uncertain.value.items.length) {
      uncertainAt.value++
    }
    show()
  }

  /** Marks the uncertain image shown as looked at; every `retrainEvery` of them, a warm retrain follows. */
  async function confirm(): Promise<boolean> {
    const item = uncertainItem.value
    const q = uncertain.value
    if (item === null || q === null || busy.value) return false
    busy.value = true
    error.value = null
    try {
      const answer = await bridge.invoke('quality:confirm', { runId: q.runId, imageId: item.imageId })
      confirmed.value = answer.confirmed
      if (uncertain.value === q && uncertainAt.value < q.items.length) uncertainAt.value++
      if (walking.value === 'uncertain') show()
      sinceRetrain.value++
      if (sinceRetrain.value >= retrainEvery.value) void warmRetrain()
      return true
    } catch (err) {
      error.value = toWireError(err)
      return false
    } finally {
      busy.value = false
    }
  }

  function setRetrainEvery(n: number): void {
    if (Number.isFinite(n)) retrainEvery.value = Math.max(1, Math.round(n))
  }

  // ---- warm retrain ----

  /**
   * Trains again with the latest run's settings (features are cached: only the head trains). The Train
   * panel's settings stay as the user left them.
   */
  async function warmRetrain(): Promise<boolean> {
    if (retrain.value === 'retraining') return false
    sinceRetrain.value = 0
    retrain.value = 'retraining'
    retrainError.value = null
    retrainJob = null
    await training.loadRuns()
    const latest = training.runs.at(-1)
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

  watch(
    () => training.result,
    (result) => {
      if (retrain.value !== 'retraining' || result === null) return
      if (retrainJob !== null && result.jobId !== retrainJob) return
      void bridge.invoke('quality:uncertain', { runId: result.runId, limit: QUEUE_LIMIT }).then(
        (q) => {
          takeUncertain(q)
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

  // ---- undo and redo of accepted pairs ----

  function cellOf(imageId: number, label: string): 0 | 1 | null | undefined {
    const i = labels.labels.indexOf(label)
    return i < 0 ? undefined : images.row(imageId)?.labels[i]
  }

  /** The counts as the service has them now (an undo takes an accepted pair back out of them). */
  async function refreshCounts(): Promise<void> {
    const q = suspects.value
    if (q === null) return
    try {
      const answer = await bridge.invoke('quality:suspects', { runId: q.runId, limit: 1 })
      reviewed.value = answer.reviewed
      fixed.value = answer.fixed
    } catch (err) {
      error.value = toWireError(err)
    }
  }

  watch(
    () => labels.lastEdit,
    (note) => {
      if (suspects.value === null || note === null || (note.kind !== 'undo' && note.kind !== 'redo')) return
      const w = walk.value
      if (note.kind === 'undo') {
        const last = accepted.at(-1)
        if (last !== undefined && w !== null && cellOf(last.imageId, last.label) === last.stored) {
          accepted.pop()
          walk.value = restorePair(w, last)
          if (walking.value === 'suspects') show()
        }
      } else {
        // A redo of the accept just undone: the pair shown holds the model's view again.
        const p = pair.value
        if (p !== null && w !== null && cellOf(p.imageId, p.label) === modelValue(p)) {
          accepted.push(p)
          walk.value = afterReview(w)
          if (walking.value === 'suspects') show()
        }
      }
      void refreshCounts()
    },
  )

  // Another panel docked in its place: the queue is no longer walked.
  watch(shown, (open) => {
    if (!open) walking.value = null
  })

  function reset(): void {
    walking.value = null
    loading.value = null
    busy.value = false
    error.value = null
    suspects.value = null
    walk.value = null
    reviewed.value = 0
    fixed.value = 0
    accepted = []
    uncertain.value = null
    uncertainAt.value = 0
    confirmed.value = 0
    sinceRetrain.value = 0
    retrain.value = 'idle'
    retrainError.value = null
    retrainJob = null
  }

  watch(
    () => project.info?.file ?? null,
    (file, before) => {
      if (file === before) return
      reset()
      dock.close('issues')
    },
  )

  // A run trained from the Train panel makes another "latest run": the label-error queue is reloaded on demand.
  const off = bridge.on('train:done', (d) => {
    if (d.project !== project.info?.file || retrain.value === 'retraining') return
    if (walking.value === 'suspects') return
    suspects.value = null
    walk.value = null
    accepted = []
    if (shown.value && tab.value === 'suspects') void load('suspects')
  })
  onScopeDispose(off)

  return {
    tab,
    walking,
    loading,
    busy,
    error,
    suspects,
    walk,
    pair,
    reviewed,
    fixed,
    suspectTotal,
    uncertain,
    uncertainAt,
    uncertainItem,
    confirmed,
    retrainEvery,
    sinceRetrain,
    retrain,
    retrainError,
    position,
    done,
    currentImageId,
    highlight,
    keysActive,
    openPanel,
    closePanel,
    togglePanel,
    setTab,
    dismissError,
    load,
    start,
    stop,
    jumpTo,
    accept,
    keep,
    skip,
    confirm,
    setRetrainEvery,
    warmRetrain,
  }
})
