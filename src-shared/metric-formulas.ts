// The metric formulas, in one place: the engine stores a run's metrics with them and the predictions panel
// recomputes the same figures with them as thresholds move, so the two can never disagree on a definition.
// It imports nothing, so the main process and the renderer bundle can both take it without crossing a wall.
//
// Conventions for empty cases: a ratio with nothing to divide by is 0 (no prediction: precision 0; no
// positive: recall 0, AP 0; no row: exact match 0; no label: every average 0). A stored or shown figure is
// then always a finite number: runs store metrics as JSON, which has no NaN.

/** The per-label figures with their micro and macro averages. */
export interface LabelTable {
  perLabel: LabelFigures[]
  /** F1 of the counts summed over labels */
  microF1: number
  /** mean of the labels' F1 */
  macroF1: number
  /** mean of the labels' AP */
  mAP: number
  tp: number
  fp: number
  fn: number
}

/** part / whole, 0 when whole is 0 (see the conventions above). */
export function shareOf(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole
}

/** tp / (tp + fp); 0 when nothing is predicted. */
export function precisionOf(tp: number, fp: number): number {
  return shareOf(tp, tp + fp)
}

/** tp / (tp + fn); 0 when there is no positive. */
export function recallOf(tp: number, fn: number): number {
  return shareOf(tp, tp + fn)
}

/**
 * F1 from the counts rather than from precision and recall, so that no positive and no prediction give 0
 * instead of 0 / 0; with tp = 0 it is 0 whatever fp and fn are.
 */
export function f1Of(tp: number, fp: number, fn: number): number {
  return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)
}

/** A label's figures from its confusion counts and its average precision; support is tp + fn. */
export function labelFigures(tp: number, fp: number, fn: number, ap: number) {
  return { precision: precisionOf(tp, fp), recall: recallOf(tp, fn), f1: f1Of(tp, fp, fn), ap, support: tp + fn, tp, fp, fn }
}

/** The contract's LabelMetrics has exactly this shape (named there; inferred here, which imports nothing). */
export type LabelFigures = ReturnType<typeof labelFigures>

/**
 * Average precision: the mean of the precision at the rank of each positive. `truthInOrder` holds a label's
 * truth ranked by descending score (ties in the order the caller chose): 1 positive, 0 negative, any other
 * value an empty cell, which takes no rank. 0 when there is no positive.
 */
export function averagePrecisionInOrder(truthInOrder: ArrayLike<number>): number {
  let rank = 0
  let hits = 0
  let sum = 0
  for (let i = 0; i < truthInOrder.length; i++) {
    const y = truthInOrder[i]
    if (y !== 0 && y !== 1) continue
    rank++
    if (y === 1) {
      hits++
      sum += hits / rank
    }
  }
  return shareOf(sum, hits)
}

/**
 * The figures of `count` labels from per-label counts and APs (a missing entry counts as 0), and their
 * averages: micro F1 over the summed counts, macro F1 and mAP as plain means over labels.
 */
export function labelTable(count: number, tp: ArrayLike<number>, fp: ArrayLike<number>, fn: ArrayLike<number>, ap: ArrayLike<number>): LabelTable {
  const perLabel = Array.from({ length: count }, (_, j) => labelFigures(tp[j] ?? 0, fp[j] ?? 0, fn[j] ?? 0, ap[j] ?? 0))
  const total = (of: (m: LabelFigures) => number): number => perLabel.reduce((sum, m) => sum + of(m), 0)
  const tpAll = total((m) => m.tp)
  const fpAll = total((m) => m.fp)
  const fnAll = total((m) => m.fn)
  return {
    perLabel,
    microF1: f1Of(tpAll, fpAll, fnAll),
    macroF1: shareOf(total((m) => m.f1), count),
    mAP: shareOf(total((m) => m.ap), count),
    tp: tpAll,
    fp: fpAll,
    fn: fnAll,
  }
}
