// The label side of dataset health: counts per split, rare labels with the class weighting training
// would give them, co-occurrence, group violations and flagged images. Pure over the project's rows.
import type { DatasetHealth } from '../../../src-preload/contract.ts'
import { SPLITS, type DatasetStats, type ImageRecord } from '../dataset/types.ts'
import { labelMatrix } from '../ml/label-matrix.ts'
import { positiveWeights } from '../ml/loss.ts'

/** A label is rare when its train positives fall below either cut-off. */
export const RARE_MIN_POSITIVES = 20
export const RARE_MIN_SHARE = 0.05

export type LabelHealth = Omit<DatasetHealth, 'nearDuplicates'>

export function labelHealth(
  stats: DatasetStats,
  rows: readonly ImageRecord[],
  groups: ReadonlyArray<ReadonlyArray<string>>,
): LabelHealth {
  const labels = stats.labels
  const perSplit = Object.fromEntries(
    SPLITS.map((s) => [s, { images: stats.perSplit[s].images, positives: labels.map((l) => stats.perSplit[s].counts[l] ?? 0), emptyCells: 0 }]),
  ) as DatasetHealth['perSplit']
  const flagged: DatasetHealth['flagged'] = { missing: [], corrupt: [], outside: [] }
  for (const r of rows) {
    if (r.labels.some((v) => v === null)) perSplit[r.split].emptyCells++
    if (r.status !== 'ok') flagged[r.status].push(r.id)
  }
  return {
    labels: [...labels],
    perSplit,
    rare: rareLabels(labels, rows),
    cooccurrence: stats.cooccurrence.map((row) => [...row]),
    groupViolations: groupViolations(labels, rows, groups),
    flagged,
  }
}

/**
 * Labels with few positives among the readable train images (known cells only). posWeight is the
 * trainer's own pos_weight (negatives / positives, clipped), so the figure shown is the one used.
 */
export function rareLabels(labels: readonly string[], rows: readonly ImageRecord[]): DatasetHealth['rare'] {
  const train = rows.filter((r) => r.split === 'train' && r.status === 'ok')
  if (train.length === 0) return []
  const m = labelMatrix(
    train.map((r) => r.labels),
    labels.length,
  )
  const weights = positiveWeights(m.values, m.mask, m.rows, m.cols)
  const out: DatasetHealth['rare'] = []
  labels.forEach((label, j) => {
    let positives = 0
    let known = 0
    for (let i = 0; i < m.rows; i++) {
      const k = i * m.cols + j
      if (m.mask[k] === 0) continue
      known++
      if (m.values[k] === 1) positives++
    }
    const share = known > 0 ? positives / known : 0
    const reason = rareReason(positives, share, known)
    if (reason !== null) out.push({ label, positives, share, posWeight: weights[j] ?? 1, reason })
  })
  return out
}

function rareReason(positives: number, share: number, known: number): string | null {
  if (known === 0) return 'no train image has a value for this label'
  if (positives === 0) return 'no positive in train: the model cannot learn it'
  const pct = `${(share * 100).toFixed(1)}%`
  const count = `${positives} positive${positives === 1 ? '' : 's'} in train (under ${RARE_MIN_POSITIVES})`
  const few = positives < RARE_MIN_POSITIVES
  const small = share < RARE_MIN_SHARE
  if (few && small) return `${count}, ${pct} of train images (under ${RARE_MIN_SHARE * 100}%)`
  if (few) return count
  if (small) return `${pct} of train images (under ${RARE_MIN_SHARE * 100}%)`
  return null
}

/**
 * Per declared group, the images where not exactly one of its labels is 1. Empty cells: two or more
 * 1s is a violation whatever the empty cells say; an image with no 1 is a violation only when every
 * cell of the group is filled (with an empty cell it is unfinished, not contradictory, and is counted
 * among the images with an empty cell instead).
 */
export function groupViolations(
  labels: readonly string[],
  rows: readonly ImageRecord[],
  groups: ReadonlyArray<ReadonlyArray<string>>,
): DatasetHealth['groupViolations'] {
  const position = new Map(labels.map((l, i) => [l, i]))
  return groups.map((group) => {
    const cols = group.map((l) => position.get(l)).filter((p): p is number => p !== undefined)
    const imageIds: number[] = []
    for (const r of rows) {
      let ones = 0
      let empty = 0
      for (const c of cols) {
        const v = r.labels[c]
        if (v === 1) ones++
        else if (v === null || v === undefined) empty++
      }
      if (ones > 1 || (ones === 0 && empty === 0)) imageIds.push(r.id)
    }
    return { group: [...group], imageIds }
  })
}
