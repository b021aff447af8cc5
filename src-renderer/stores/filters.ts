import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { ImageStatus, Split } from '../../src-preload/contract.ts'
import {
  applyFilter,
  breaksGroup,
  compileFilter,
  countLabels,
  emptyFilter,
  groupIndices,
  isEmptyFilter,
  updateCounts,
  updateFilter,
  type EditedFilter,
  type Filter,
  type FilterResult,
  type PredictionFilter,
  type PredictionTest,
  type SimilarView,
  type TriState,
} from '../lib/filter.ts'
import { describeFilter, sameFilter } from '../lib/filter-text.ts'
import { orderAsGiven, orderByKey, type GridOrder } from '../lib/grid-order.ts'
import { followLabelSet } from '../lib/label-set-follow.ts'
import { findGroup, groupName, groupTitle } from '../lib/groups.ts'
import { useImagesStore } from './images.ts'
import { useProjectStore } from './project.ts'

const NEXT_STATE: Record<TriState, TriState> = { any: 'has', has: 'lacks', lacks: 'any' }
/** The filters Back can return to. */
export const HISTORY_LIMIT = 20

/** The "Only N: …" line of the filter panel: images shown by id, or the images breaking a group now. */
export interface OnlyChip {
  count: number
  note: string
}

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
  // The filters before each click that changed it, oldest first. Typing a search adds one entry per run
  // of keystrokes: the filter before the first of them.
  const history = shallowRef<Filter[]>([])
  let searching = false

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
  /** The grid's images in the order shown: a similar-images view keeps its ranking. */
  const ids = computed(() => {
    const f = filter.value
    if (f.similar !== undefined && f.ids !== undefined) return orderAsGiven(result.value.ids, f.ids)
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
  /** The filter Back returns to, in words ("black, val"); null when there is none. */
  const backTo = computed(() => {
    const f = previous()
    return f === null ? null : describeFilter(f)
  })
  // Counted on the rows as they are: an edit, undo or redo that mends or breaks an image changes the count.
  const only = computed<OnlyChip | null>(() => {
    const f = filter.value
    if (f.group !== undefined) {
      void images.version
      const idx = groupIndices(labels.value, [[...f.group]])[0] ?? []
      let count = 0
      for (const row of images.rows) if (breaksGroup(row.labels, idx)) count++
      return { count, note: f.idsNote ?? 'group violations' }
    }
    if (f.similar !== undefined) return null
    if (f.ids !== undefined) return { count: f.ids.length, note: f.idsNote ?? 'chosen images' }
    return null
  })
  /** Each shown image's similarity to the query while a similar-images view is on; null otherwise. */
  const similarity = computed<ReadonlyMap<number, number> | null>(() => {
    const f = filter.value
    if (f.similar === undefined || f.ids === undefined) return null
    const sims = f.similar.similarity
    return new Map(f.ids.map((id, i) => [id, sims[i] ?? Number.NaN]))
  })

  /** Replaces the filter as a click does: the one before goes onto the Back history. */
  function change(next: Filter, search = false): void {
    const before = filter.value
    if (sameFilter(before, next)) return
    if (!(search && searching)) history.value = [...history.value, before].slice(-HISTORY_LIMIT)
    searching = search
    filter.value = next
  }

  /** The newest history entry that differs from the filter shown. */
  function previous(): Filter | null {
    const list = history.value
    for (let i = list.length - 1; i >= 0; i--) {
      const f = list[i]
      if (f !== undefined && !sameFilter(f, filter.value)) return f
    }
    return null
  }

  /** Returns to the filter before the last click (Back, Alt+Left); false when there is none. */
  function back(): boolean {
    const list = history.value
    let i = list.length - 1
    while (i >= 0 && sameFilter(list[i] ?? filter.value, filter.value)) i--
    const f = list[i]
    history.value = list.slice(0, Math.max(i, 0))
    searching = false
    if (f === undefined) return false
    filter.value = f
    return true
  }

  function labelState(label: string): TriState {
    return filter.value.labels[label] ?? 'any'
  }

  function setLabel(label: string, state: TriState): void {
    const next = { ...filter.value.labels }
    if (state === 'any') delete next[label]
    else next[label] = state
    change({ ...filter.value, labels: next })
  }

  /** any -> has -> lacks -> any */
  function cycleLabel(label: string): void {
    setLabel(label, NEXT_STATE[labelState(label)])
  }

  function toggleIn<T>(list: readonly T[], item: T): T[] {
    return list.includes(item) ? list.filter((x) => x !== item) : [...list, item]
  }

  function toggleSplit(split: Split): void {
    change({ ...filter.value, splits: toggleIn(filter.value.splits, split) })
  }

  function toggleStatus(status: ImageStatus): void {
    change({ ...filter.value, statuses: toggleIn(filter.value.statuses, status) })
  }

  function setEdited(edited: EditedFilter): void {
    change({ ...filter.value, edited })
  }

  function setViolations(on: boolean): void {
    change({ ...filter.value, violations: on })
  }

  function setSearch(search: string): void {
    change({ ...filter.value, search }, true)
  }

  function setPrediction(kind: PredictionFilter | null): void {
    const next = { ...filter.value }
    if (kind === null) delete next.prediction
    else next.prediction = kind
    change(next)
  }

  /** Shows exactly these images (nothing else of the filter applies); `note` says what they are. */
  function showIds(ids: readonly number[], note: string): void {
    change({ ...emptyFilter(), ids: [...ids], idsNote: note })
  }

  /** Shows the images breaking a group, judged anew after every edit, undo or redo (nothing else applies). */
  function showGroupViolations(group: readonly string[]): void {
    const n = findGroup(groups.value, group)
    const title = groupTitle(group, n < 0 ? '' : groupName(project.info?.groupNames, n))
    change({ ...emptyFilter(), group: [...group], idsNote: `not exactly one of ${title === group.join(' · ') ? group.join(', ') : title}` })
  }

  /** Shows the images most like one image, in the order given (the query first); nothing else applies. */
  function showSimilar(ids: readonly number[], view: SimilarView): void {
    change({ ...emptyFilter(), ids: [...ids], idsNote: `similar to ${view.name}`, similar: view })
  }

  /** Leaves similar-images views for the filter before the first of them (Back then returns to the view). */
  function leaveSimilar(): void {
    const list = history.value
    for (let i = list.length - 1; i >= 0; i--) {
      const f = list[i]
      if (f !== undefined && f.similar === undefined) {
        change(f)
        return
      }
    }
    change(emptyFilter())
  }

  function clearIds(): void {
    const { ids: _ids, idsNote: _note, group: _group, similar: _similar, ...rest } = filter.value
    change(rest)
  }

  function setOrder(next: GridOrder): void {
    order.value = next
  }

  /** Called once by the prediction filters store: how prediction filters and the confidence order are answered. */
  function providePredictions(test: () => PredictionTest | null, key: () => ((id: number) => number) | null): void {
    predictionTest.value = test
    confidence.value = key
  }

  /** Sets the filter without a history entry (the address read back). */
  function replace(next: Filter): void {
    searching = false
    filter.value = next
  }

  function clear(): void {
    change(emptyFilter())
  }

  // A label renamed or removed (or such a step undone) in this project: the filter and Back follow it.
  watch(
    () => [project.info?.file, project.info?.labels] as const,
    ([file, now], [fileBefore, before]) => {
      if (file === undefined || file !== fileBefore || now === undefined || before === undefined || now === before) return
      filter.value = followLabelSet(filter.value, before, now)
      history.value = history.value.map((f) => followLabelSet(f, before, now))
    },
  )

  return {
    filter,
    ids,
    counts,
    totals,
    active,
    backTo,
    only,
    similarity,
    history,
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
    showGroupViolations,
    showSimilar,
    leaveSimilar,
    clearIds,
    back,
    setOrder,
    providePredictions,
    replace,
    clear,
  }
})
