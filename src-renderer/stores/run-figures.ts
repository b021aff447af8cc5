import { defineStore } from 'pinia'
import { computed } from 'vue'
import type { RunMetrics } from '../../src-preload/contract.ts'
import { storedRule } from '../lib/decision-rule.ts'
import { asRunMetrics } from '../lib/headline-metrics.ts'
import { usePredictionsStore } from './predictions.ts'
import { useTrainingStore } from './training.ts'

/** A metrics table's figures and the rule they were decided by. `live`: from the predictions at the current rule. */
export interface RunFigures {
  metrics: RunMetrics
  rule: string
  live: boolean
}

/**
 * The figures the Train panel's table shows. For the run the predictions show: the predictions' validation
 * figures (the same function and rule as the Predictions panel, so both agree); for another run, the figures
 * stored when it was trained (every label at 0.5), labelled as such.
 */
export const useRunFiguresStore = defineStore('runFigures', () => {
  const training = useTrainingStore()
  const predictions = usePredictionsStore()

  const figures = computed<RunFigures | null>(() => {
    const id = training.shownRunId
    const live = predictions.validation
    if (id !== null && id === predictions.runId && live !== null) return { metrics: asRunMetrics(live), rule: predictions.rule, live: true }
    const stored = training.metrics
    return stored === null ? null : { metrics: stored, rule: storedRule(stored.exactMatchGrouped !== undefined), live: false }
  })

  return { figures }
})
