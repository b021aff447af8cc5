import { defineStore } from 'pinia'
import { computed, shallowRef, watch } from 'vue'
import type { RunDetail } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { compareRuns, type CompareRow } from '../lib/run-compare.ts'
import { usePredictionsStore } from './predictions.ts'
import { useProjectStore } from './project.ts'
import { useRequestState } from './request-state.ts'
import { useTrainingStore } from './training.ts'

/** Two stored runs' metrics side by side, and deleting a run from the run history. */
export const useRunCompareStore = defineStore('runCompare', () => {
  const bridge = getBridge()
  const project = useProjectStore()
  const training = useTrainingStore()
  const left = shallowRef<RunDetail | null>(null)
  const right = shallowRef<RunDetail | null>(null)
  const { busy: loading, error, run } = useRequestState()

  const rows = computed<CompareRow[]>(() => (left.value !== null && right.value !== null ? compareRuns(left.value, right.value) : []))

  /** The stored runs (newest last), as the training store keeps them. */
  const runs = computed(() => training.runs)

  function refresh(): Promise<void> {
    return training.loadRuns()
  }

  function compare(a: number, b: number): Promise<boolean> {
    return run(async () => {
      const [l, r] = await Promise.all([bridge.invoke('train:run', { id: a }), bridge.invoke('train:run', { id: b })])
      left.value = l
      right.value = r
      return true
    })
  }

  /** Deletes a stored run; a comparison or predictions showing it are dropped (the latest run's load instead). */
  async function remove(id: number): Promise<void> {
    await training.deleteRun(id)
    if (training.runs.some((r) => r.id === id)) return
    if (left.value?.id === id || right.value?.id === id) clear()
    const predictions = usePredictionsStore()
    if (predictions.runId !== id) return
    predictions.reset()
    await predictions.load(undefined, true)
  }

  function clear(): void {
    left.value = null
    right.value = null
  }

  watch(
    () => project.info?.file ?? null,
    () => {
      clear()
      error.value = null
    },
  )

  return { left, right, rows, runs, loading, error, refresh, compare, remove, clear }
})
