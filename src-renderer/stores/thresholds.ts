import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef } from 'vue'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { useRequestState } from './request-state.ts'

/** Threshold moves are saved with the run once the slider rests this long. */
export const PERSIST_MS = 400

/** What tuning on the validation rows aims for: the best F1, or the lowest threshold reaching a precision. */
export type TuneTarget = { kind: 'f1' } | { kind: 'precision'; precision: number }

/**
 * The thresholds that turn the shown run's probabilities into decisions, one per label: the sliders, tuning
 * on validation, and saving with the run once a slider rests. The predictions store hands over each run it
 * loads (adopt) and saves a move not yet sent before it leaves a run (flush). The only caller of the
 * bridge for thresholds.
 */
export const useThresholdsStore = defineStore('thresholds', () => {
  const bridge = getBridge()

  /** The run the thresholds belong to, and its label order. */
  const runId = ref<number | null>(null)
  const labels = shallowRef<readonly string[]>([])
  /** Per label, in the run's label order; replaced on every change so computeds see it. */
  const thresholds = shallowRef<Float64Array>(new Float64Array(0))
  /** The thresholds last tuned on validation, if any. */
  const tuned = shallowRef<readonly number[] | null>(null)
  /** Where the global slider sits: the value it last gave every label. */
  const globalThreshold = ref(0.5)
  const { busy: tuning, error, run } = useRequestState()

  let pending: { runId: number; thresholds: number[] } | null = null
  let persistTimer: ReturnType<typeof setTimeout> | null = null

  /** Per label: are the thresholds not all the same value. */
  const mixed = computed(() => thresholds.value.some((t) => t !== thresholds.value[0]))

  /** A run's saved thresholds (0.5 for a label without one); the global slider follows when they agree. */
  function adopt(run: number, runLabels: readonly string[], saved: readonly number[], tunedValues: readonly number[] | null): void {
    runId.value = run
    labels.value = runLabels
    tuned.value = tunedValues
    thresholds.value = Float64Array.from(runLabels, (_, j) => saved[j] ?? 0.5)
    const first = thresholds.value[0]
    if (first !== undefined && !mixed.value) globalThreshold.value = first
  }

  /** Forgets the run (another project, or its run was deleted); a move not yet saved is dropped with it. */
  function reset(): void {
    dropPending()
    runId.value = null
    labels.value = []
    thresholds.value = new Float64Array(0)
    tuned.value = null
    error.value = null
  }

  function dropPending(): void {
    if (persistTimer !== null) clearTimeout(persistTimer)
    persistTimer = null
    pending = null
  }

  function schedulePersist(): void {
    const id = runId.value
    if (id === null) return
    pending = { runId: id, thresholds: Array.from(thresholds.value) }
    if (persistTimer !== null) clearTimeout(persistTimer)
    persistTimer = setTimeout(() => void flush(), PERSIST_MS)
  }

  /** Saves a threshold change not yet sent (the slider is still moving, or the run is being left). */
  async function flush(): Promise<void> {
    const send = pending
    dropPending()
    if (send === null) return
    try {
      await bridge.invoke('thresholds:set', send)
    } catch (err) {
      error.value = toWireError(err)
    }
  }

  function clamp(t: number): number {
    return Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5
  }

  /** The global slider: every label gets this threshold. */
  function setGlobal(t: number): void {
    const v = clamp(t)
    globalThreshold.value = v
    thresholds.value = new Float64Array(labels.value.length).fill(v)
    schedulePersist()
  }

  /** One label's slider: overrides the global value for that label. */
  function setThreshold(label: string, t: number): void {
    const j = labels.value.indexOf(label)
    if (j < 0) return
    const next = thresholds.value.slice()
    next[j] = clamp(t)
    thresholds.value = next
    schedulePersist()
  }

  /** Back to the thresholds last tuned on validation. */
  function applyTuned(): void {
    const t = tuned.value
    if (t === null) return
    thresholds.value = Float64Array.from(labels.value, (_, j) => t[j] ?? 0.5)
    schedulePersist()
  }

  /** Tunes every label's threshold on the validation rows; the service keeps them with the run. */
  async function tune(target: TuneTarget): Promise<boolean> {
    const id = runId.value
    if (id === null || tuning.value) return false
    dropPending()
    return run(async () => {
      const input = target.kind === 'f1' ? { runId: id, target: 'f1' as const } : { runId: id, target: 'precision' as const, precision: target.precision }
      const answer = await bridge.invoke('thresholds:tune', input)
      if (runId.value !== id) return false
      thresholds.value = Float64Array.from(labels.value, (_, j) => answer.thresholds[j] ?? 0.5)
      tuned.value = answer.thresholds
      return true
    })
  }

  function dismissError(): void {
    error.value = null
  }

  onScopeDispose(() => void flush())

  return {
    runId,
    thresholds,
    tuned,
    globalThreshold,
    mixed,
    tuning,
    error,
    adopt,
    reset,
    flush,
    setGlobal,
    setThreshold,
    applyTuned,
    tune,
    dismissError,
  }
})
