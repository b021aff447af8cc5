import { defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { WireError } from '../../src-preload/contract.ts'
import { suspectNote, uncertainNote } from '../lib/queue-walk.ts'
import { useActiveRunStore } from './active-run.ts'
import { useDockStore } from './dock.ts'
import { useProjectStore } from './project.ts'
import { useSuspectsQueueStore } from './suspects-queue.ts'
import { useSuspectsUndoStore } from './suspects-undo.ts'
import { useUncertainQueueStore } from './uncertain-queue.ts'
import { useViewStore } from './view.ts'

export type QueueTab = 'suspects' | 'uncertain'

/** What the editor marks on a label of the image it shows. */
export interface QueueHighlight {
  imageId: number
  label: string
  note: string
}

/**
 * The "Find issues" panel: which of its two queues (suspects-queue.ts, uncertain-queue.ts) the panel shows
 * and which one the editor walks, what the editor marks, and when the queue keys apply. At most one queue
 * is walked at a time, and none once another side panel docks in this one's place.
 */
export const useQueueStore = defineStore('queue', () => {
  const project = useProjectStore()
  const view = useViewStore()
  const dock = useDockStore()
  const suspects = useSuspectsQueueStore()
  const uncertain = useUncertainQueueStore()
  // Lives as long as this store: an undo of an accept asks the pair again.
  useSuspectsUndoStore()

  const shown = computed(() => dock.panel === 'issues')
  const tab = ref<QueueTab>('suspects')

  /** The queue whose current image the editor shows and the queue keys act on; null: none started. */
  const walking = computed<QueueTab | null>(() => (suspects.walking ? 'suspects' : uncertain.walking ? 'uncertain' : null))
  const loading = computed<QueueTab | null>(() => (suspects.loading ? 'suspects' : uncertain.loading ? 'uncertain' : null))
  const busy = computed(() => suspects.busy || uncertain.busy)
  /** The panel's notice: what the last request of either queue answered with, if it failed. */
  const error = computed<WireError | null>(() => suspects.error ?? uncertain.error)
  /** Where the walk of the tab shown is, e.g. "3 / 120". */
  const position = computed(() => (tab.value === 'suspects' ? suspects.position : uncertain.position))
  const done = computed(() => (tab.value === 'suspects' ? suspects.done : uncertain.done))

  const currentImageId = computed<number | null>(() => {
    if (walking.value === 'suspects') return suspects.pair?.imageId ?? null
    if (walking.value === 'uncertain') return uncertain.item?.imageId ?? null
    return null
  })

  const highlight = computed<QueueHighlight | null>(() => {
    if (!shown.value) return null
    const pair = suspects.pair
    if (walking.value === 'suspects' && pair !== null) return { imageId: pair.imageId, label: pair.label, note: suspectNote(pair) }
    const item = uncertain.item
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
    stop()
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
    suspects.dismissError()
    uncertain.dismissError()
  }

  // ---- loading and walking ----

  async function ensureLoaded(which: QueueTab): Promise<void> {
    if ((which === 'suspects' ? suspects.queue : uncertain.queue) === null) await load(which)
  }

  function load(which: QueueTab): Promise<boolean> {
    return which === 'suspects' ? suspects.load() : uncertain.load()
  }

  function walk(which: QueueTab | null): void {
    suspects.setWalking(which === 'suspects')
    uncertain.setWalking(which === 'uncertain')
  }

  /** Starts walking a queue: the editor opens on its current image. */
  async function start(which: QueueTab = tab.value): Promise<boolean> {
    tab.value = which
    await ensureLoaded(which)
    walk(which)
    return show()
  }

  function stop(): void {
    walk(null)
  }

  function show(): boolean {
    if (walking.value === 'suspects') return suspects.show()
    return walking.value === 'uncertain' ? uncertain.show() : false
  }

  /** Jumps to an image of the queue shown in the panel, and walks that queue from there. */
  function jumpTo(index: number): void {
    const moved = tab.value === 'suspects' ? suspects.jumpTo(index) : uncertain.jumpTo(index)
    if (!moved) return
    walk(tab.value)
    show()
  }

  const accept = (): Promise<boolean> => suspects.review('accept')
  const keep = (): Promise<boolean> => suspects.review('keep')
  const confirm = (): Promise<boolean> => uncertain.confirm()

  /** Moves on without a verdict: the image stays in the queue for another session. */
  function skip(): void {
    if ((walking.value ?? tab.value) === 'suspects') suspects.skip()
    else uncertain.skip()
    show()
  }

  // Another panel docked in its place: the queue is no longer walked.
  watch(shown, (open) => {
    if (!open) stop()
  })

  // Another project: the panel closes (its queues forget theirs).
  watch(
    () => project.info?.file ?? null,
    (file, before) => {
      if (file !== before) dock.close('issues')
    },
  )

  // Another run became active (a finished run took over, a pin): the label-error queue is reloaded on
  // demand. The first run named after a project opens is the latest the queue was asked of anyway.
  const activeRun = useActiveRunStore()
  watch(
    () => activeRun.activeId,
    (id, before) => {
      if (before === null || id === null || uncertain.retrain === 'retraining') return
      if (suspects.walking) return
      suspects.forget()
      if (shown.value && tab.value === 'suspects') void suspects.load()
    },
  )

  return {
    tab,
    walking,
    loading,
    busy,
    error,
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
  }
})
