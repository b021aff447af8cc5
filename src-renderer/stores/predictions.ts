import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { JobProgress, Predictions, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { decidedByGroup, describeRule } from '../lib/decision-rule.ts'
import { buildTruth, groupColumns, patchTruth, toMatrix } from '../lib/prediction-data.ts'
import {
  averagePrecisions,
  evaluate,
  METRIC_SPLITS,
  prAt,
  prCurve,
  rankRows,
  SOURCES,
  summarise,
  type Evaluation,
  type MetricSplit,
  type PredictionMatrix,
  type PrPoint,
  type SplitMetrics,
  type Truth,
} from '../lib/prediction-metrics.ts'
import { useActiveRunStore } from './active-run.ts'
import { useDockStore } from './dock.ts'
import { useImagesStore } from './images.ts'
import { usePredictionRuleStore } from './prediction-rule.ts'
import { useProjectStore } from './project.ts'
import { useThresholdsStore } from './thresholds.ts'

/** The job kind whose progress the panel shows while a run's rows are scored. */
const PREDICT_JOB = 'predict'

/**
 * A run's probabilities for every image and everything that follows from them at the thresholds set (the
 * thresholds store): each image's decisions and agreement with its labels, and metrics for a split. The
 * only caller of the bridge for predictions.
 */
export const usePredictionsStore = defineStore('predictions', () => {
  const bridge = getBridge()
  const project = useProjectStore()
  const images = useImagesStore()
  const dock = useDockStore()
  const thresholdsStore = useThresholdsStore()
  const activeRun = useActiveRunStore()
  const ruleStore = usePredictionRuleStore()

  /** Typed arrays, never made reactive: replaced as a whole when another run is loaded. */
  const matrix = shallowRef<PredictionMatrix | null>(null)
  const runGroups = shallowRef<readonly string[][]>([])
  const decodeGroups = computed(() => ruleStore.decodeGroups)
  const split = ref<MetricSplit>('val')
  const loading = ref(false)
  const loadProgress = shallowRef<JobProgress | null>(null)
  /** Why no predictions are shown (no run yet, …), from a load nobody asked for explicitly. */
  const notice = ref<string | null>(null)
  const error = ref<WireError | null>(null)

  let loadSeq = 0
  /** What the last load asked for: a run, or the service's latest. */
  let requested: number | 'latest' | null = null

  const runId = computed(() => matrix.value?.runId ?? null)
  const labels = computed(() => matrix.value?.labels ?? [])
  const rowIndex = computed(() => {
    const m = matrix.value
    const at = new Map<number, number>()
    if (m !== null) for (let r = 0; r < m.imageIds.length; r++) at.set(m.imageIds[r] as number, r)
    return at
  })
  // The groups declared now decide (they may be newer than the run); the run's own when none are.
  const groupNames = computed(() => {
    const declared = project.info?.groups ?? []
    return declared.length > 0 ? declared : runGroups.value
  })
  const groupCols = computed(() => groupColumns(labels.value, groupNames.value))
  const hasGroups = computed(() => groupCols.value.length > 0)
  const splitCode = computed(() => SOURCES.indexOf(split.value))
  /** The splits this run has rows for, in the order the picker offers them. */
  const splits = computed(() => {
    const m = matrix.value
    if (m === null) return []
    const seen = new Set<number>(m.source)
    return METRIC_SPLITS.filter((s) => seen.has(SOURCES.indexOf(s)))
  })

  // The labels as set now. An edit patches the rows it replaced (when the images store still remembers
  // them); new rows or another run read every row; a slider move reads nothing.
  let lastTruth: { version: number; matrix: PredictionMatrix; labels: readonly string[]; truth: Truth } | null = null
  const truth = computed<Truth>(() => {
    const version = images.version
    const m = matrix.value
    const projectLabels = project.info?.labels ?? []
    if (m === null) {
      lastTruth = null
      return new Int8Array(0)
    }
    const last = lastTruth !== null && lastTruth.matrix === m && lastTruth.labels === projectLabels ? lastTruth : null
    const changes = last !== null ? images.changesSince(last.version) : null
    const at = rowIndex.value
    const t =
      last !== null && changes !== null
        ? patchTruth(last.truth, m, projectLabels, changes.map((c) => c.after), (id) => at.get(id))
        : buildTruth(m, projectLabels, images.row)
    lastTruth = { version, matrix: m, labels: projectLabels, truth: t }
    return t
  })
  // Rankings depend on the probabilities and the split only; average precision on the labels too.
  const ranked = computed(() => (matrix.value === null ? [] : rankRows(matrix.value, splitCode.value)))
  const ap = computed(() => (matrix.value === null ? new Float64Array(0) : averagePrecisions(matrix.value, truth.value, ranked.value)))

  /** What a threshold move recomputes, and how long it took (shown in the panel, read by tests and bench). */
  const state = computed<{ ev: Evaluation; metrics: SplitMetrics; ms: number } | null>(() => {
    const m = matrix.value
    if (m === null) return null
    const [t, g, decode, code, tr, a] = [thresholdsStore.thresholds, groupCols.value, decodeGroups.value, splitCode.value, truth.value, ap.value]
    const t0 = performance.now()
    const ev = evaluate(m, tr, t, g, { decodeGroups: decode, split: code })
    const metrics = summarise(m.labels, ev.split, a, g.length > 0)
    return { ev, metrics, ms: performance.now() - t0 }
  })
  const evaluation = computed(() => state.value?.ev ?? null)
  /** Per label: decided by its group's most probable label under the rule (its threshold then decides nothing). */
  const groupedLabels = computed(() => decidedByGroup(labels.value.length, decodeGroups.value, groupCols.value))
  /** The rule the figures are decided by, in one line. */
  const rule = computed(() =>
    describeRule({ decodeGroups: decodeGroups.value, groupCols: groupCols.value, thresholds: thresholdsStore.thresholds, tuned: thresholdsStore.tuned }),
  )
  /**
   * The validation figures at the current rule and thresholds, by the same function as the panel's split
   * (the panel's own when it shows validation): what the Train panel shows for this run.
   */
  const validation = computed<SplitMetrics | null>(() => {
    const m = matrix.value
    const code = SOURCES.indexOf('val')
    if (m === null || !m.source.includes(code)) return null
    if (splitCode.value === code) return state.value?.metrics ?? null
    const ev = evaluate(m, truth.value, thresholdsStore.thresholds, groupCols.value, { decodeGroups: decodeGroups.value, split: code })
    return summarise(m.labels, ev.split, averagePrecisions(m, truth.value, rankRows(m, code)), groupCols.value.length > 0)
  })
  const metrics = computed(() => state.value?.metrics ?? null)
  const lastMs = computed(() => state.value?.ms ?? 0)

  function adopt(p: Predictions): void {
    const m = toMatrix(p)
    // The thresholds first: the evaluation reads both, and the run's labels are the thresholds' labels.
    thresholdsStore.adopt(m.runId, m.labels, p.thresholds, p.tuned)
    matrix.value = m
    runGroups.value = p.groups
    if (!splits.value.includes(split.value)) split.value = splits.value[0] ?? 'val'
    notice.value = null
  }

  /**
   * Loads a run's predictions (default: the active run). `quiet`: a load nobody asked for (project opened,
   * another run became active); a failure then only says why nothing is shown.
   */
  async function load(id: number | undefined = activeRun.activeId ?? undefined, quiet = false): Promise<boolean> {
    requested = id ?? 'latest'
    // Loading from the call on: a run named while thresholds are still being saved is this load's.
    loading.value = true
    await thresholdsStore.flush()
    const seq = ++loadSeq
    const file = project.info?.file
    if (!quiet) error.value = null
    try {
      const answer = await bridge.invoke('predict:get', id === undefined ? {} : { runId: id })
      if (seq !== loadSeq || file !== project.info?.file) return false
      adopt(answer)
      return true
    } catch (err) {
      if (seq !== loadSeq) return false
      const wire = toWireError(err)
      if (quiet) notice.value = wire.message
      else error.value = wire
      return false
    } finally {
      if (seq === loadSeq) {
        loading.value = false
        loadProgress.value = null
      }
    }
  }

  /** Forgets the run shown (another project, or its run was deleted). */
  function reset(): void {
    loadSeq++
    requested = null
    thresholdsStore.reset()
    matrix.value = null
    runGroups.value = []
    loading.value = false
    loadProgress.value = null
    notice.value = null
    error.value = null
  }

  // ---- split and groups ----

  function setSplit(s: MetricSplit): void {
    split.value = s
  }

  function setDecodeGroups(on: boolean): void {
    ruleStore.setDecodeGroups(on)
  }

  /** A label's precision-recall curve on the split, and where its current threshold sits on it. */
  function prCurveFor(label: string): { points: PrPoint[]; marker: PrPoint | null } {
    const m = matrix.value
    const j = labels.value.indexOf(label)
    const order = ranked.value[j]
    if (m === null || order === undefined) return { points: [], marker: null }
    const points = prCurve(m, truth.value, order, j)
    return { points, marker: points.length === 0 ? null : prAt(m, truth.value, order, j, thresholdsStore.thresholds[j] ?? 0.5) }
  }

  // ---- panel ----

  /** Docked beside the grid, in the place of any other side panel. */
  function openPanel(): void {
    dock.open('predictions')
    if (matrix.value === null && !loading.value) void load()
  }

  function closePanel(): void {
    dock.close('predictions')
  }

  /** The top bar's button: shows the panel, or closes it when it is what shows. */
  function togglePanel(): void {
    if (dock.panel === 'predictions') closePanel()
    else openPanel()
  }

  function dismissError(): void {
    error.value = null
  }

  function onProgress(p: JobProgress): void {
    if (p.kind === PREDICT_JOB && loading.value) loadProgress.value = p
  }

  // Another project: its runs. Predictions load at once, so the grid shows its badges without asking.
  watch(
    () => project.info?.file ?? null,
    (file, before) => {
      if (file === before) return
      reset()
      if (file !== null) void load(activeRun.activeId ?? undefined, true)
    },
    { immediate: true },
  )

  // Another run became active (pinned, unpinned, a finished run took over): every view follows it. The
  // first run named while a load of the latest is still out is the run that load fetches.
  watch(
    () => activeRun.activeId,
    (id, before) => {
      if (id === null || id === runId.value || id === requested) return
      if (before === null && requested === 'latest' && loading.value) return
      void load(id, true)
    },
  )

  // The label set changed (a label renamed, added or removed, or that undone): the run's labels are read again,
  // named as the project names them now, so the renamed label keeps its probabilities and its truth.
  watch(
    () => project.info?.labels,
    (now, before) => {
      if (now === undefined || before === undefined || matrix.value === null || now.join('\n') === before.join('\n')) return
      void load(runId.value ?? undefined, true)
    },
  )

  const offs = [bridge.on('job:progress', onProgress)]
  onScopeDispose(() => {
    offs.forEach((off) => off())
    void thresholdsStore.flush()
  })

  return {
    matrix,
    runId,
    labels,
    rowIndex,
    decodeGroups,
    groupCols,
    hasGroups,
    split,
    splits,
    loading,
    loadProgress,
    notice,
    error,
    evaluation,
    metrics,
    validation,
    rule,
    groupedLabels,
    lastMs,
    ranked,
    truth,
    load,
    reset,
    setSplit,
    setDecodeGroups,
    prCurveFor,
    openPanel,
    closePanel,
    togglePanel,
    dismissError,
  }
})
