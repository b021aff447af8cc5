import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { ImageStatus, Split } from '../../src-preload/contract.ts'
import {
  applyFilter,
  compileFilter,
  countLabels,
  emptyFilter,
  isEmptyFilter,
  updateCounts,
  updateFilter,
  type EditedFilter,
  type Filter,
  type FilterResult,
  type PredictionFilter,
  type PredictionTest,
  type TriState,
} from '../lib/filter.ts'
import { orderByKey, type GridOrder } from '../lib/grid-order.ts'
import { useImagesStore } from './images.ts'
import { useProjectStore } from './project.ts'

const NEXT_STATE: Record<TriState, TriState> = { any: 'has', has: 'lacks', lacks: 'any' }

/** The grid filter; the ids and counts it yields are recomputed only when the filter or the rows change. */
export const useFiltersStore = defineStore('filters', () => {
  const images = useImagesStore()
  const project = useProjectStore()
  // Replaced, never mutated: a plain object the filter loop reads without proxy traps.
  const filter = shallowRef<Filter>(emptyFilter())
  const labels = computed(() => project.info?.labels ?? [])
  const groups = computed(() => project.info?.groups ?? [])
  // Given by the prediction filters store: reading them inside the computeds below makes a threshold move
  // refilter (or reorder) the grid only while a prediction filter (or the confidence order) is on.
  const predictionTest = shallowRef<() => PredictionTest | null>(() => null)
  const confidence = shallowRef<() => ((id: number) => number) | null>(() => null)
  const order = ref<GridOrder>('project')

  // What the last pass saw. When only a few rows were replaced since (an edit), the result is updated from
  // those rows; a new filter, new labels or reloaded rows take a pass over every row.
  let last: {
    version: number
    filter: Filter
    labels: readonly string[]
    groups: readonly string[][]
    test: PredictionTest | null
    result: FilterResult
  } | null = null
  let lastTotals: { version: number; labels: readonly string[]; counts: number[] } | null = null

  const result = computed(() => {
    const version = images.version
    const [f, l, g] = [filter.value, labels.value, groups.value]
    const test = f.prediction !== undefined ? predictionTest.value() : null
    const t0 = performance.now()
    const same = last !== null && last.filter === f && last.labels === l && last.groups === g && last.test === test
    const changes = same && last !== null ? images.changesSince(last.version) : null
    const r =
      changes !== null && last !== null
        ? updateFilter(last.result, changes, compileFilter(l, g, f, test), images.position)
        : applyFilter(images.rows, l, g, f, test)
    last = { version, filter: f, labels: l, groups: g, test, result: r }
    return { ...r, ms: performance.now() - t0 }
  })
  /** The grid's images in the order shown. */
  const ids = computed(() => {
    const o = order.value
    const key = o === 'project' ? null : confidence.value()
    return key === null || o === 'project' ? result.value.ids : orderByKey(result.value.ids, key, o)
  })
  const counts = computed(() => result.value.counts)
  /** Milliseconds the last filter pass took (shown in the status bar). */
  const lastMs = computed(() => result.value.ms)
  const totals = computed(() => {
    const version = images.version
    const l = labels.value
    const changes = lastTotals !== null && lastTotals.labels === l ? images.changesSince(lastTotals.version) : null
    const counts = changes !== null && lastTotals !== null ? updateCounts(lastTotals.counts, changes) : countLabels(images.rows, l.length)
    lastTotals = { version, labels: l, counts }
    return counts
  })
  const active = computed(() => !isEmptyFilter(filter.value))

  function labelState(label: string): TriState {
    return filter.value.labels[label] ?? 'any'
  }

  function setLabel(label: string, state: TriState): void {
    const next = { ...filter.value.labels }
    if (state === 'any') delete next[label]
    else next[label] = state
    filter.value = { ...filter.value, labels: next }
  }

  /** any -> has -> lacks -> any */
  function cycleLabel(label: string): void {
    setLabel(label, NEXT_STATE[labelState(label)])
  }

  function toggleIn<T>(list: readonly T[], item: T): T[] {
    return list.includes(item) ? list.filter((x) => x !== item) : [...list, item]
  }

  function toggleSplit(split: Split): void {
    filter.value = { ...filter.value, splits: toggleIn(filter.value.splits, split) }
  }

  function toggleStatus(status: ImageStatus): void {
    filter.value = { ...filter.value, statuses: toggleIn(filter.value.statuses, status) }
  }

  function setEdited(edited: EditedFilter): void {
    filter.value = { ...filter.value, edited }
  }

  function setViolations(on: boolean): void {
    filter.value = { ...filter.value, violations: on }
  }

  function setSearch(search: string): void {
    filter.value = { ...filter.value, search }
  }

  function setPrediction(kind: PredictionFilter | null): void {
    const next = { ...filter.value }
    if (kind === null) delete next.prediction
    else next.prediction = kind
    filter.value = next
  }

  /** Shows exactly these images (nothing else of the filter applies); `note` says what they are. */
  function showIds(ids: readonly number[], note: string): void {
    filter.value = { ...emptyFilter(), ids: [...ids], idsNote: note }
  }

  function clearIds(): void {
    const { ids: _ids, idsNote: _note, ...rest } = filter.value
    filter.value = rest
  }

  function setOrder(next: GridOrder): void {
    order.value = next
  }

  /** Called once by the prediction filters store: how prediction filters and the confidence order are answered. */
  function providePredictions(test: () => PredictionTest | null, key: () => ((id: number) => number) | null): void {
    predictionTest.value = test
    confidence.value = key
  }

  function replace(next: Filter): void {
    filter.value = next
  }

  function clear(): void {
    filter.value = emptyFilter()
  }

  return {
    filter,
    ids,
    counts,
    totals,
    active,
    lastMs,
    labelState,
    setLabel,
    cycleLabel,
    toggleSplit,
    toggleStatus,
    setEdited,
    setViolations,
    setSearch,
    order,
    setPrediction,
    showIds,
    clearIds,
    setOrder,
    providePredictions,
    replace,
    clear,
  }
})
