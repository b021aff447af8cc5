import type { ImageRecord } from '../dataset/types.ts'
import { labelMatrix, type LabelMatrix } from './label-matrix.ts'
import { stratifiedHoldout } from './split.ts'

// Which rows of a project a run trains and validates on: the same choice when training and when a
// run's predictions are computed again later.

export interface RowRoles {
  /** rows that can take part (readable, with a content hash and features), in project order */
  usable: ImageRecord[]
  labels: LabelMatrix
  /** indices into `usable` */
  trainRows: number[]
  valRows: number[]
  valSource: 'val' | 'holdout'
}

/**
 * Train rows train; val rows validate, or, when there are none, a stratified `holdout` share of the
 * train rows (seeded). `hasFeatures` drops rows whose image could not be read by the backbone.
 */
export function rowRoles(
  rows: readonly ImageRecord[],
  numLabels: number,
  opts: { holdout: number; seed: number; hasFeatures: (hash: string) => boolean },
): RowRoles {
  const usable = rows.filter((r) => r.status === 'ok' && r.hash !== null && opts.hasFeatures(r.hash))
  const trainIdx: number[] = []
  let valRows: number[] = []
  usable.forEach((r, i) => {
    if (r.split === 'train') trainIdx.push(i)
    else if (r.split === 'val') valRows.push(i)
  })
  const labels = labelMatrix(
    usable.map((r) => r.labels),
    numLabels,
  )
  let trainRows = trainIdx
  let valSource: RowRoles['valSource'] = 'val'
  if (valRows.length === 0) {
    const split = stratifiedHoldout(labels, trainIdx, opts.holdout, opts.seed)
    trainRows = split.train
    valRows = split.val
    valSource = 'holdout'
  }
  return { usable, labels, trainRows, valRows, valSource }
}
