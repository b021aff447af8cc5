import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type {
  DatasetHealth,
  ImageStatus,
  JobProgress,
  NearDuplicate,
  TrainDone,
  WireError,
} from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import {
  cooccurrence,
  cooccurrenceIds,
  countBySplit,
  emptyCellIds,
  orderPairs,
  pairImageIds,
  parseSimilarity,
  positiveIds,
  splitIds,
  type SplitColumn,
} from '../lib/health-counts.ts'
import { useActiveRunStore } from './active-run.ts'
import { useDockStore } from './dock.ts'
import { useFiltersStore } from './filters.ts'
import { useImagesStore } from './images.ts'
import { useJobsStore } from './jobs.ts'
import { useProjectStore } from './project.ts'
import { useViewStore } from './view.ts'
import { restTimer } from '../lib/rest-timer.ts'

/** The import statuses the panel lists (every other image is 'ok'). */
export type FlagStatus = Exclude<ImageStatus, 'ok'>

/** The job kind of health:get: the near-duplicate search compares every pair of images. */
const HEALTH_JOB = 'health'

/** After an edit, the report is asked for again once edits have rested this long (the panel being open):
 *  the service reuses its near-duplicate search while only labels change, so the answer is quick. */
export const AUTO_REFRESH_MS = 1000

const SPLIT_NAMES: Record<SplitColumn, string> = {
  train: 'train',
  val: 'val',
  test: 'test',
  all: 'all splits',
}

/**
 * The Dataset health panel. Counts per split and co-occurrence come from the rows the grid shows, so they
 * follow every edit at once and each number opens exactly its images. Rare labels, group violations,
 * flagged images and near-duplicates come from the service's health:get (asked again on open, on Refresh,
 * when the similarity threshold or the groups change, after a new run, and once edits rest while the panel
 * is open); `stale` says the rows changed since it answered. The only caller of the bridge for health.
 */
export const useHealthStore = defineStore('health', () => {
  const bridge = getBridge()
  const images = useImagesStore()
  const project = useProjectStore()
  const filters = useFiltersStore()
  const dock = useDockStore()
  const activeRun = useActiveRunStore()

  const health = shallowRef<DatasetHealth | null>(null)
  const loading = ref(false)
  const error = ref<WireError | null>(null)
  /** The near-duplicate threshold asked for; null leaves it to the service. */
  const similarity = ref<number | null>(null)
  /** The rows' version the report was computed against. */
  const healthVersion = ref(-1)
  /** The service's progress on the report being asked for (null before its first event). */
  const progress = shallowRef<JobProgress | null>(null)
  let loadSeq = 0

  const labels = computed(() => project.info?.labels ?? [])
  const counts = computed(() => {
    void images.version
    return countBySplit(images.rows, labels.value.length)
  })
  const matrix = computed(() => {
    void images.version
    return cooccurrence(images.rows, labels.value.length)
  })
  /** Near-duplicate pairs, those across splits first. */
  const pairs = computed(() => orderPairs(health.value?.nearDuplicates.pairs ?? []))
  const crossSplitPairs = computed(() => pairs.value.filter((p) => p.crossSplit))
  /** Labels were edited (here or elsewhere) or images moved since the service's report. */
  const stale = computed(() => health.value !== null && images.version !== healthVersion.value)
  const shown = computed(() => dock.panel === 'health')

  async function load(): Promise<void> {
    const seq = ++loadSeq
    const version = images.version
    loading.value = true
    error.value = null
    progress.value = null
    try {
      // Near-duplicates compare the active run's features (the pinned run, else the latest).
      const run = activeRun.activeId
      const input = { ...(similarity.value === null ? {} : { similarity: similarity.value }), ...(run === null ? {} : { runId: run }) }
      const answer = await bridge.invoke('health:get', input)
      if (seq !== loadSeq) return
      health.value = answer
      healthVersion.value = version
    } catch (err) {
      if (seq === loadSeq) error.value = toWireError(err)
    } finally {
      if (seq === loadSeq) {
        loading.value = false
        progress.value = null
      }
    }
  }

  /** Stops the report being computed; the request then fails with the service's CANCELLED. */
  function cancel(): void {
    const jobId = progress.value?.jobId
    if (jobId !== undefined) void useJobsStore().cancel(jobId)
  }

  /**
   * Sets the near-duplicate threshold from what the user typed and asks again; answers why not when the
   * text is no similarity (nothing is asked then).
   */
  function setSimilarity(text: string): string | null {
    const parsed = parseSimilarity(text)
    if ('error' in parsed) return parsed.error
    if (parsed.value === (similarity.value ?? health.value?.nearDuplicates.threshold)) return null
    similarity.value = parsed.value
    void load()
    return null
  }

  function dismissError(): void {
    error.value = null
  }

  // ---- each number opens its images ----

  function show(ids: readonly number[], note: string): number[] {
    filters.showIds(ids, note)
    useViewStore().closeEditor()
    return [...ids]
  }

  function labelIndex(label: string): number {
    return labels.value.indexOf(label)
  }

  /** The positives of a label in a split (or all splits). */
  function showPositives(label: string, column: SplitColumn): number[] {
    const j = labelIndex(label)
    if (j < 0) return []
    return show(positiveIds(images.rows, j, column), `${label} · ${SPLIT_NAMES[column]}`)
  }

  function showSplit(column: SplitColumn): number[] {
    return show(splitIds(images.rows, column), `images · ${SPLIT_NAMES[column]}`)
  }

  function showEmptyCells(column: SplitColumn): number[] {
    return show(
      emptyCellIds(images.rows, labels.value.length, column),
      `images with an empty cell · ${SPLIT_NAMES[column]}`,
    )
  }

  /** Images positive for both labels (one label: its positives). */
  function showCooccurrence(a: string, b: string): number[] {
    const [i, j] = [labelIndex(a), labelIndex(b)]
    if (i < 0 || j < 0) return []
    return show(cooccurrenceIds(images.rows, i, j), a === b ? `${a} · all splits` : `${a} + ${b}`)
  }

  function showViolations(index: number): number[] {
    const v = health.value?.groupViolations[index]
    if (v === undefined) return []
    // Judged on the rows as they are now, so an edit, undo or redo updates what the grid shows.
    filters.showGroupViolations(v.group)
    useViewStore().closeEditor()
    return [...filters.ids]
  }

  function showFlagged(status: FlagStatus): number[] {
    return show(health.value?.flagged[status] ?? [], `${status} images`)
  }

  function showPair(pair: NearDuplicate): number[] {
    return show([pair.a, pair.b], `near-duplicates · ${(pair.similarity * 100).toFixed(1)}% similar`)
  }

  function showPairs(crossOnly: boolean): number[] {
    const list = crossOnly ? crossSplitPairs.value : pairs.value
    return show(pairImageIds(list), crossOnly ? 'near-duplicates across splits' : 'near-duplicates')
  }

  // ---- panel ----

  /** Docked where the Train and Predictions panels go: one side panel at a time. */
  function openPanel(): void {
    dock.open('health')
    if (!loading.value) void load()
  }

  function closePanel(): void {
    dock.close('health')
    stopRefresh()
  }

  /** The top bar's button: shows the panel, or closes it when it is what shows. */
  function togglePanel(): void {
    if (shown.value) closePanel()
    else openPanel()
  }

  function onProgress(p: JobProgress): void {
    if (p.kind === HEALTH_JOB && loading.value) progress.value = p
  }

  // A new run may bring the features the near-duplicate search needs.
  function onTrainDone(d: TrainDone): void {
    if (d.project !== project.info?.file) return
    if (shown.value) void load()
    else health.value = null
  }

  // Edits (here or from elsewhere) make the report stale; it is asked for again once they rest.
  const refresh = restTimer(AUTO_REFRESH_MS, () => {
    if (shown.value && stale.value) void load()
  })
  const stopRefresh = refresh.stop
  watch(
    () => images.version,
    () => {
      if (shown.value && health.value !== null) refresh.poke()
    },
  )

  // Another panel docked in its place: edits no longer ask for the report.
  watch(shown, (open) => {
    if (!open) stopRefresh()
  })

  const offs = [bridge.on('job:progress', onProgress), bridge.on('train:done', onTrainDone)]
  onScopeDispose(() => {
    offs.forEach((off) => off())
    stopRefresh()
  })

  // Another run became active (a pin, a finished run taking over): its features decide the near-duplicates.
  watch(
    () => activeRun.activeId,
    (id, before) => {
      if (before === null || id === null || id === before || health.value === null) return
      if (shown.value) void load()
      else health.value = null
    },
  )

  // Declared groups decide the violations: a report from before a change lists the wrong images.
  watch(
    () => project.info?.groups,
    (groups, before) => {
      if (groups === undefined || before === undefined || health.value === null) return
      if (shown.value) void load()
      else health.value = null
    },
  )

  // Another project: its report is not this one's.
  watch(
    () => project.info?.file,
    () => {
      loadSeq++
      health.value = null
      healthVersion.value = -1
      error.value = null
      loading.value = false
      progress.value = null
      similarity.value = null
      if (shown.value && project.info) void load()
    },
  )

  return {
    health,
    loading,
    progress,
    error,
    similarity,
    labels,
    counts,
    matrix,
    pairs,
    crossSplitPairs,
    stale,
    load,
    cancel,
    setSimilarity,
    dismissError,
    showPositives,
    showSplit,
    showEmptyCells,
    showCooccurrence,
    showViolations,
    showFlagged,
    showPair,
    showPairs,
    openPanel,
    closePanel,
    togglePanel,
  }
})
