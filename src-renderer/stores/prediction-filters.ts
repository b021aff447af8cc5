import { defineStore } from 'pinia'
import { computed, onScopeDispose } from 'vue'
import type { PredictionFilter, PredictionTest } from '../lib/filter.ts'
import { CONFIDENT_WRONG, DISAGREES, errorImages, SOURCES, UNCERTAIN } from '../lib/prediction-metrics.ts'
import { useFiltersStore } from './filters.ts'
import { usePredictionsStore } from './predictions.ts'
import { useViewStore } from './view.ts'

const FLAG_OF: Record<PredictionFilter, number> = { disagrees: DISAGREES, uncertain: UNCERTAIN, 'confident-wrong': CONFIDENT_WRONG }

/**
 * The grid's view of the shown run's predictions: the Disagrees / Uncertain / Confident & wrong filters and
 * the confidence order (given to the filters store, which asks only while one is on), and a metric's false
 * positives or negatives shown as the grid's images.
 */
export const usePredictionFiltersStore = defineStore('predictionFilters', () => {
  const filters = useFiltersStore()
  const predictions = usePredictionsStore()

  // Computed, so the same function answers until the evaluation changes (and the grid is filtered again).
  const predictionTest = computed<PredictionTest | null>(() => {
    const ev = predictions.evaluation
    if (ev === null) return null
    const at = predictions.rowIndex
    return (kind) => {
      const bit = FLAG_OF[kind]
      return (row) => {
        const r = at.get(row.id)
        return r !== undefined && ((ev.flags[r] ?? 0) & bit) !== 0
      }
    }
  })
  const confidenceKey = computed<((id: number) => number) | null>(() => {
    const ev = predictions.evaluation
    if (ev === null) return null
    const at = predictions.rowIndex
    return (id) => {
      const r = at.get(id)
      return r === undefined ? NaN : (ev.margin[r] ?? NaN)
    }
  })
  filters.providePredictions(
    () => predictionTest.value,
    () => confidenceKey.value,
  )

  function setFilter(kind: PredictionFilter | null): void {
    filters.setPrediction(kind)
  }

  /** Shows in the grid exactly the split's images a label's false-positive or false-negative count counts. */
  function showErrors(label: string, kind: 'fp' | 'fn'): number[] {
    const m = predictions.matrix
    const ev = predictions.evaluation
    const j = predictions.labels.indexOf(label)
    if (m === null || ev === null || j < 0) return []
    const ids = errorImages(m, predictions.truth, ev, SOURCES.indexOf(predictions.split), j, kind)
    filters.showIds(ids, `${kind === 'fp' ? 'false positives' : 'false negatives'} of ${label} · ${predictions.split}`)
    useViewStore().closeEditor()
    return ids
  }

  onScopeDispose(() =>
    filters.providePredictions(
      () => null,
      () => null,
    ),
  )

  return { setFilter, showErrors }
})
