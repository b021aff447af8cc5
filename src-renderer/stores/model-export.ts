import { defineStore } from 'pinia'
import { computed, onScopeDispose, shallowRef, watch } from 'vue'
import type { JobProgress, ModelExport } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { usePredictionsStore } from './predictions.ts'
import { useRequestState } from './request-state.ts'
import { useThresholdsStore } from './thresholds.ts'

/** The job kind of writing a model folder, whose progress the form shows. */
const EXPORT_JOB = 'export-model'
/** The export reloads what it wrote; below this difference from the app's probabilities it is verified. */
export const EXPORT_TOLERANCE = 1e-4

/**
 * Writing the run shown in the Predictions panel as a model folder, with the thresholds as set; the service
 * reloads what it wrote and reports how far it is from the app's probabilities. The only caller of the
 * bridge for model export.
 */
export const useModelExportStore = defineStore('modelExport', () => {
  const bridge = getBridge()
  const predictions = usePredictionsStore()
  const thresholds = useThresholdsStore()

  const { busy: exporting, error, run } = useRequestState()
  const progress = shallowRef<JobProgress | null>(null)
  const result = shallowRef<ModelExport | null>(null)

  const verified = computed(() => result.value !== null && result.value.maxAbsDiff < EXPORT_TOLERANCE)

  /** Writes the shown run as a model folder in `outDir`; the service checks what it wrote. */
  async function exportModel(outDir: string): Promise<boolean> {
    const dir = outDir.trim()
    if (exporting.value) return false
    if (dir === '') {
      error.value = { code: 'BAD_INPUT', message: 'Choose an output folder' }
      return false
    }
    // The folder carries the thresholds: a slider move not yet saved goes first.
    await thresholds.flush()
    progress.value = null
    result.value = null
    const done = await run(async () => {
      const id = predictions.runId
      result.value = await bridge.invoke('model:export', id === null ? { outDir: dir } : { runId: id, outDir: dir })
      return true
    })
    // Cleared once exporting is down, so no late progress event can set it again.
    progress.value = null
    return done
  }

  function dismissError(): void {
    error.value = null
  }

  function onProgress(p: JobProgress): void {
    if (p.kind === EXPORT_JOB && exporting.value) progress.value = p
  }

  // The run shown was forgotten (another project, or the run was deleted): what was said of its export goes
  // with it. Synchronous, so a run loaded right after the reset cannot hide it.
  watch(
    () => predictions.runId === null,
    (forgotten) => {
      if (!forgotten) return
      result.value = null
      error.value = null
    },
    { flush: 'sync' },
  )

  onScopeDispose(bridge.on('job:progress', onProgress))

  return { exporting, progress, result, error, verified, exportModel, dismissError }
})
