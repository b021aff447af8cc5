import type { ImageRow, ImageStatus, LabelValue, Split } from '../../src-preload/contract.ts'
import { pathMatches, searchTerms } from '../../src-shared/path-search.ts'

export type TriState = 'any' | 'has' | 'lacks'
export type EditedFilter = 'any' | 'edited' | 'unedited'
/** Images whose predictions disagree with their labels, sit near a threshold, or are confidently wrong. */
export type PredictionFilter = 'disagrees' | 'uncertain' | 'confident-wrong'
/** Answers a prediction filter for a row; provided by whoever holds the predictions. */
export type PredictionTest = (kind: PredictionFilter) => (row: ImageRow) => boolean

export interface Filter {
  /** Only labels that are not 'any' are listed. */
  labels: Record<string, Exclude<TriState, 'any'>>
  /** Empty = every split. */
  splits: Split[]
  /** Empty = every status. */
  statuses: ImageStatus[]
  edited: EditedFilter
  /** Only images where some group does not hold exactly one label. */
  violations: boolean
  /** Words that must each occur in the image path, in any order (lib/path-search.ts). */
  search: string
  /** Only these images (e.g. the false negatives a metric counted); absent = any. */
  ids?: readonly number[]
  /** What `ids` (or `group`) are, in words, for the filter panel. */
  idsNote?: string
  /** Only images breaking this group, by the Health panel's rule (breaksGroup), judged on the rows as they
   *  are now: an edit or an undo that mends an image takes it out at once. */
  group?: readonly string[]
  prediction?: PredictionFilter
  /** The images most like one image: `ids` holds them in similarity order (the query first), which the grid keeps. */
  similar?: SimilarView
}

/** What a similar-images view shows beside its images: the query, the similarities and what was left out. */
export interface SimilarView {
  query: number
  /** the query's file name */
  name: string
  /** one per id of the filter's `ids`, in the same order */
  similarity: readonly number[]
  /** images without features under the compared key, never shown */
  missing: number
  /** the features compared, by their catalog name */
  features: string
}

export interface FilterResult {
  ids: number[]
  /** Per label (project order): images in the filter where the label is 1. */
  counts: number[]
}

export const SPLITS: readonly Split[] = ['train', 'val', 'test']
export const STATUSES: readonly ImageStatus[] = ['ok', 'missing', 'corrupt', 'outside']

export function emptyFilter(): Filter {
  return { labels: {}, splits: [], statuses: [], edited: 'any', violations: false, search: '' }
}

export function isEmptyFilter(f: Filter): boolean {
  return (
    Object.keys(f.labels).length === 0 &&
    f.splits.length === 0 &&
    f.statuses.length === 0 &&
    f.edited === 'any' &&
    !f.violations &&
    f.search.trim() === '' &&
    f.ids === undefined &&
    f.group === undefined &&
    f.prediction === undefined
  )
}

/** Label indices of each group, skipping names the project does not have. */
export function groupIndices(labels: readonly string[], groups: readonly string[][]): number[][] {
  const at = new Map(labels.map((l, i) => [l, i]))
  return groups
    .map((g) => g.map((l) => at.get(l)).filter((i): i is number => i !== undefined))
    .filter((g) => g.length > 0)
}

export function violatesGroups(row: ImageRow, groups: readonly number[][]): boolean {
  const values = row.labels
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k] ?? []
    let on = 0
    for (let j = 0; j < g.length; j++) if (values[g[j] ?? -1] === 1) on++
    if (on !== 1) return true
  }
  return false
}

/**
 * The Health panel's rule for one group: two or more 1s break it; no 1 breaks it only when every cell of
 * the group is filled (an empty cell means the image is unfinished, not contradictory).
 */
export function breaksGroup(values: readonly LabelValue[], group: readonly number[]): boolean {
  let ones = 0
  let empty = 0
  for (const c of group) {
    const v = values[c]
    if (v === 1) ones++
    else if (v !== 0) empty++
  }
  return ones > 1 || (ones === 0 && empty === 0)
}

// Lower-cased paths, remembered per row object (rows are replaced, never mutated, when they change).
const lowerPaths = new WeakMap<ImageRow, string>()

function lowerPath(row: ImageRow): string {
  let p = lowerPaths.get(row)
  if (p === undefined) {
    p = row.path.toLowerCase()
    lowerPaths.set(row, p)
  }
  return p
}

/**
 * A row test compiled once per filter: plain index lists, so 11k rows take a few milliseconds. A prediction
 * filter without `predicted` to answer it lets no row through.
 */
export function compileFilter(
  labels: readonly string[],
  groups: readonly string[][],
  f: Filter,
  predicted: PredictionTest | null = null,
): (row: ImageRow) => boolean {
  const at = new Map(labels.map((l, i) => [l, i]))
  const has: number[] = []
  const lacks: number[] = []
  for (const [name, state] of Object.entries(f.labels)) {
    const i = at.get(name)
    if (i === undefined) continue
    if (state === 'has') has.push(i)
    else lacks.push(i)
  }
  const splits = f.splits.length > 0 ? new Set<Split>(f.splits) : null
  const statuses = f.statuses.length > 0 ? new Set<ImageStatus>(f.statuses) : null
  const terms = searchTerms(f.search)
  const { edited, violations } = f
  const groupIdx = violations ? groupIndices(labels, groups) : []
  const only = f.ids !== undefined ? new Set(f.ids) : null
  const broken = f.group !== undefined ? (groupIndices(labels, [[...f.group]])[0] ?? []) : null
  const prediction = f.prediction === undefined ? null : (predicted?.(f.prediction) ?? (() => false))

  return (row) => {
    if (splits !== null && !splits.has(row.split)) return false
    if (statuses !== null && !statuses.has(row.status)) return false
    if (edited === 'edited' && !row.edited) return false
    if (edited === 'unedited' && row.edited) return false
    const values = row.labels
    for (const i of has) if (values[i] !== 1) return false
    for (const i of lacks) if (values[i] === 1) return false
    if (violations && !violatesGroups(row, groupIdx)) return false
    if (terms.length > 0 && !pathMatches(lowerPath(row), terms)) return false
    if (only !== null && !only.has(row.id)) return false
    if (broken !== null && !breaksGroup(values, broken)) return false
    if (prediction !== null && !prediction(row)) return false
    return true
  }
}

/** One pass over the rows: the ids that pass the filter and the label counts among them. */
export function applyFilter(
  rows: readonly ImageRow[],
  labels: readonly string[],
  groups: readonly string[][],
  f: Filter,
  predicted: PredictionTest | null = null,
): FilterResult {
  const passes = compileFilter(labels, groups, f, predicted)
  const n = labels.length
  const counts = new Array<number>(n).fill(0)
  const ids: number[] = []
  for (const row of rows) {
    if (!passes(row)) continue
    ids.push(row.id)
    addCounts(counts, row.labels, n, 1)
  }
  return { ids, counts }
}

/** One row object replaced by another with the same id (an edit, an undo, a change from elsewhere). */
export interface RowChange {
  before: ImageRow
  after: ImageRow
}

/**
 * The result of `applyFilter` after some rows were replaced, without a pass over every row: an edit in
 * the editor costs the same at 100k images as at 100. `order` gives a row's position in the project, which
 * keeps an id that joins the filter in its place. The previous result is not changed.
 */
export function updateFilter(
  previous: FilterResult,
  changes: readonly RowChange[],
  passes: (row: ImageRow) => boolean,
  order: (id: number) => number,
): FilterResult {
  const n = previous.counts.length
  const counts = previous.counts.slice()
  let ids: number[] | null = null
  for (const { before, after } of changes) {
    const was = passes(before)
    const is = passes(after)
    if (was) addCounts(counts, before.labels, n, -1)
    if (is) addCounts(counts, after.labels, n, 1)
    if (was === is) continue
    ids ??= previous.ids.slice()
    const at = insertionPoint(ids, order(after.id), order)
    if (is) ids.splice(at, 0, after.id)
    else if (ids[at] === after.id) ids.splice(at, 1)
  }
  return { ids: ids ?? previous.ids, counts }
}

/** Label totals after some rows were replaced (see updateFilter). */
export function updateCounts(previous: readonly number[], changes: readonly RowChange[]): number[] {
  const counts = previous.slice()
  for (const { before, after } of changes) {
    addCounts(counts, before.labels, counts.length, -1)
    addCounts(counts, after.labels, counts.length, 1)
  }
  return counts
}

function addCounts(counts: number[], values: readonly (0 | 1 | null)[], n: number, sign: 1 | -1): void {
  for (let i = 0; i < n; i++) if (values[i] === 1) counts[i] = (counts[i] ?? 0) + sign
}

/** The first index in `ids` (ordered by `order`) whose row does not come before position `target`. */
function insertionPoint(ids: readonly number[], target: number, order: (id: number) => number): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (order(ids[mid] ?? 0) < target) lo = mid + 1
    else hi = mid
  }
  return lo
}

export function countLabels(rows: readonly ImageRow[], labelCount: number): number[] {
  const counts = new Array<number>(labelCount).fill(0)
  for (const row of rows) addCounts(counts, row.labels, labelCount, 1)
  return counts
}
