// From the service's answer to typed arrays, and from typed arrays back to label edits.
import type { ImageRow, LabelChange, Predictions } from '../../src-preload/contract.ts'
import { changesFor } from './groups.ts'
import { SOURCES, type PredictionMatrix, type Truth } from './prediction-metrics.ts'

/** The answer of predict:get as typed arrays; a row or source that does not fit is refused. */
export function toMatrix(p: Predictions): PredictionMatrix {
  const L = p.labels.length
  const n = p.imageIds.length
  if (p.probs.length !== n * L) throw new Error(`predictions of run ${p.runId}: ${p.probs.length} probabilities for ${n} images x ${L} labels`)
  const source = new Uint8Array(n)
  for (let r = 0; r < n; r++) {
    const at = SOURCES.indexOf(p.source[r] ?? 'unlabelled')
    source[r] = at < 0 ? SOURCES.indexOf('unlabelled') : at
  }
  return { runId: p.runId, labels: p.labels, imageIds: Int32Array.from(p.imageIds), probs: Float32Array.from(p.probs), source }
}

/** Column indices (in the run's label order) of each group; unknown names are skipped. */
export function groupColumns(labels: readonly string[], groups: readonly (readonly string[])[]): number[][] {
  const at = new Map(labels.map((l, i) => [l, i]))
  return groups.map((g) => g.flatMap((l) => at.get(l) ?? [])).filter((g) => g.length > 0)
}

/**
 * The labels as set now, per cell of the matrix: 1, 0, or -1 for an empty cell, a label the project does
 * not have, or an image that is not in the project any more.
 */
export function buildTruth(m: PredictionMatrix, projectLabels: readonly string[], rowOf: (id: number) => ImageRow | undefined): Truth {
  const L = m.labels.length
  const n = m.imageIds.length
  const column = Int32Array.from(m.labels, (l) => projectLabels.indexOf(l))
  const truth = new Int8Array(n * L).fill(-1)
  for (let r = 0; r < n; r++) {
    const row = rowOf(m.imageIds[r] as number)
    if (row === undefined) continue
    const values = row.labels
    for (let j = 0; j < L; j++) {
      const v = values[column[j] as number]
      if (v === 1) truth[r * L + j] = 1
      else if (v === 0) truth[r * L + j] = 0
    }
  }
  return truth
}

/**
 * `truth` after some rows were replaced (an edit): a copy with only those images' cells written again, so an
 * edit costs the changed rows, not every image. `rowAt` maps an image id to its matrix row.
 */
export function patchTruth(
  truth: Truth,
  m: PredictionMatrix,
  projectLabels: readonly string[],
  changed: readonly ImageRow[],
  rowAt: (id: number) => number | undefined,
): Truth {
  const L = m.labels.length
  const column = Int32Array.from(m.labels, (l) => projectLabels.indexOf(l))
  const next = truth.slice()
  for (const row of changed) {
    const r = rowAt(row.id)
    if (r === undefined) continue
    for (let j = 0; j < L; j++) {
      const v = row.labels[column[j] as number]
      next[r * L + j] = v === 1 ? 1 : v === 0 ? 0 : -1
    }
  }
  return next
}

/**
 * The edits that make rows agree with the decisions: every cell of each row whose value differs (an empty
 * cell gets the decision too). `rowsAt` are matrix row indices; `rowOf` gives the project row.
 */
export function acceptChanges(
  m: PredictionMatrix,
  decisions: Uint8Array,
  rowsAt: Iterable<number>,
  projectLabels: readonly string[],
  rowOf: (id: number) => ImageRow | undefined,
): LabelChange[] {
  const L = m.labels.length
  const column = m.labels.map((l) => projectLabels.indexOf(l))
  const changes: LabelChange[] = []
  for (const r of rowsAt) {
    const imageId = m.imageIds[r]
    const row = imageId === undefined ? undefined : rowOf(imageId)
    if (row === undefined || imageId === undefined) continue
    for (let j = 0; j < L; j++) {
      const col = column[j] ?? -1
      const label = m.labels[j]
      if (col < 0 || label === undefined) continue
      const d = decisions[r * L + j] === 1 ? 1 : 0
      if (row.labels[col] !== d) changes.push({ imageId, label, value: d })
    }
  }
  return changes
}

/**
 * The edit that makes one label of one image agree with its decision. Setting a label of a group clears its
 * siblings in the same step, as a toggle in the editor does.
 */
export function acceptLabelChanges(
  row: ImageRow,
  label: string,
  decision: 0 | 1,
  projectLabels: readonly string[],
  projectGroups: readonly string[][],
): LabelChange[] {
  return changesFor([row], projectLabels, projectGroups, label, decision)
}
