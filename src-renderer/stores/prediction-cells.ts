import { defineStore } from 'pinia'
import type { LabelChange } from '../../src-preload/contract.ts'
import { acceptChanges, acceptLabelChanges } from '../lib/prediction-data.ts'
import { useImagesStore } from './images.ts'
import { useLabelsStore } from './labels.ts'
import { usePredictionsStore } from './predictions.ts'
import { useProjectStore } from './project.ts'
import { useThresholdsStore } from './thresholds.ts'

/** One label of one image, as the editor and the tile's hover text show it. */
export interface CellView {
  label: string
  probability: number
  threshold: number
  decision: 0 | 1
  status: 'agree' | 'missing' | 'extra'
  /** decided by its group's most probable label rather than the threshold */
  byGroup: boolean
}

const STATUS_NAMES = ['agree', 'missing', 'extra'] as const

/**
 * The shown run's predictions image by image (the tiles' badges, the editor's list) and accepting them as
 * label edits: each accept is one labels:set call, so one undo step, sent by the labels store.
 */
export const usePredictionCellsStore = defineStore('predictionCells', () => {
  const project = useProjectStore()
  const images = useImagesStore()
  const labelsStore = useLabelsStore()
  const predictions = usePredictionsStore()
  const thresholds = useThresholdsStore()

  /** Every label of one image as predicted, or null when the run has no prediction for it. */
  function cells(imageId: number): CellView[] | null {
    const m = predictions.matrix
    const ev = predictions.evaluation
    const r = predictions.rowIndex.get(imageId)
    if (m === null || ev === null || r === undefined) return null
    const L = m.labels.length
    const grouped = new Set(predictions.decodeGroups ? predictions.groupCols.flat() : [])
    return m.labels.map((label, j) => ({
      label,
      probability: m.probs[r * L + j] ?? 0,
      threshold: thresholds.thresholds[j] ?? 0.5,
      decision: ev.decisions[r * L + j] === 1 ? 1 : 0,
      status: STATUS_NAMES[ev.status[r * L + j] ?? 0] ?? 'agree',
      byGroup: grouped.has(j),
    }))
  }

  /** Sets one label of one image to its decision (a group's siblings follow), as one undoable step. */
  function acceptLabel(imageId: number, label: string): Promise<boolean> {
    const row = images.row(imageId)
    const cell = cells(imageId)?.find((c) => c.label === label)
    if (row === undefined || cell === undefined) return Promise.resolve(false)
    const info = project.info
    return labelsStore.apply(acceptLabelChanges(row, label, cell.decision, info?.labels ?? [], info?.groups ?? []))
  }

  /** The label changes accepting these images would make (cells already at their decision are left out). */
  function changesFor(imageIds: Iterable<number>): LabelChange[] | null {
    const m = predictions.matrix
    const ev = predictions.evaluation
    if (m === null || ev === null) return null
    const at: number[] = []
    for (const id of imageIds) {
      const r = predictions.rowIndex.get(id)
      if (r !== undefined) at.push(r)
    }
    return acceptChanges(m, ev.decisions, at, project.info?.labels ?? [], images.row)
  }

  /** Sets every label of these images to its decision, as one labels:set call (one undoable step). */
  function acceptImages(imageIds: Iterable<number>): Promise<boolean> {
    const changes = changesFor(imageIds)
    return changes === null ? Promise.resolve(false) : labelsStore.apply(changes)
  }

  /** How many label cells accepting these images would change. */
  function acceptCount(imageIds: Iterable<number>): number {
    return changesFor(imageIds)?.length ?? 0
  }

  return { cells, acceptLabel, acceptImages, acceptCount }
})
