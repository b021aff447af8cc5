// How a table's figures were decided, in one line, and which labels a threshold still decides. Every
// metrics table and the threshold sliders read these, so they cannot disagree about the rule.

export interface RuleInput {
  /** groups decided by their most probable label (only counts when `groupCols` has a group) */
  decodeGroups: boolean
  /** label indices of each declared group */
  groupCols: readonly (readonly number[])[]
  /** per label, in the run's label order */
  thresholds: ArrayLike<number>
  /** the thresholds last tuned on validation, if any */
  tuned: readonly number[] | null
}

/** Per label: is it decided by its group's most probable label (so its threshold changes nothing but exact match by thresholds). */
export function decidedByGroup(labelCount: number, decodeGroups: boolean, groupCols: readonly (readonly number[])[]): boolean[] {
  const out = new Array<boolean>(labelCount).fill(false)
  if (!decodeGroups) return out
  for (const g of groupCols) for (const j of g) if (j >= 0 && j < labelCount) out[j] = true
  return out
}

/** The thresholds of the labels a threshold decides, in words: "at 0.50", "at tuned thresholds", "at per-label thresholds (0.30–0.70)". */
function thresholdWords(values: number[], tuned: readonly number[] | null, all: ArrayLike<number>): string {
  const first = values[0]
  if (first === undefined) return ''
  // Tuned values are named as such even when the labels left to them happen to share one value.
  const isTuned = tuned !== null && tuned.length === all.length && Array.from(all).every((v, j) => Math.abs(v - (tuned[j] ?? NaN)) < 1e-9)
  if (isTuned) return 'at tuned thresholds'
  if (values.every((v) => v === first)) return `at ${first.toFixed(2)}`
  return `at per-label thresholds (${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)})`
}

/** The decision rule of a table, e.g. "Decision: groups by most probable; other labels at tuned thresholds". */
export function describeRule(r: RuleInput): string {
  const L = r.thresholds.length
  const grouped = decidedByGroup(L, r.decodeGroups, r.groupCols)
  const free: number[] = []
  for (let j = 0; j < L; j++) if (!grouped[j]) free.push(r.thresholds[j] ?? 0.5)
  const words = thresholdWords(free, r.tuned, r.thresholds)
  if (free.length === L) return `Decision: every label ${words}`
  if (free.length === 0) return 'Decision: groups by most probable (every label is in a group)'
  return `Decision: groups by most probable; other labels ${words}`
}

/** A run's figures as stored when it was trained: every label at 0.5; the grouped exact match decides groups. */
export function storedRule(hasGrouped: boolean): string {
  return `Decision: every label at 0.50, as trained${hasGrouped ? '; "Exact match, groups" decides groups by most probable' : ''}`
}

/** What the global slider still decides, e.g. "affects 0 of 11 labels: every label is in a group". */
export function globalReach(labelCount: number, grouped: readonly boolean[]): string {
  const inGroups = grouped.filter(Boolean).length
  const free = labelCount - inGroups
  if (inGroups === 0) return `affects all ${labelCount} labels`
  if (free === 0) return `affects 0 of ${labelCount} labels: every label is in a group`
  return `affects ${free} of ${labelCount} labels: ${inGroups} in groups are decided by group`
}
