import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { RunMetrics, RunSummary, TrainDone } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { readPin, writePin } from '../lib/run-pins.ts'
import { usePredictionRuleStore } from './prediction-rule.ts'
import { useProjectStore } from './project.ts'

/** A finished run that scored worse on validation than the active one, waiting for the user's answer. */
export interface WorseRun {
  newRun: number
  newExact: number
  activeRun: number
  activeExact: number
  /** which exact match was compared: by thresholds, or with groups decided by their most probable label */
  grouped: boolean
}

/** The validation exact match a run is compared by: with groups decided when the rule decides them. */
export function comparedExact(m: Pick<RunMetrics, 'exactMatch' | 'exactMatchGrouped'>, grouped: boolean): number {
  return grouped && m.exactMatchGrouped !== undefined ? m.exactMatchGrouped : m.exactMatch
}

/**
 * The run every view shows (predictions, the review queues, the editor's probabilities, model export): the
 * one the user pinned, else the latest. A newly finished run that is worse on validation does not take over
 * silently: the previous run stays active until the user answers. Pins persist per project (run-pins.ts).
 */
export const useActiveRunStore = defineStore('activeRun', () => {
  const bridge = getBridge()
  const project = useProjectStore()
  const rule = usePredictionRuleStore()

  const file = computed(() => project.info?.file ?? null)
  /** Bumped when a pin is written, so `pinned` reads storage again. */
  const pinWrites = ref(0)
  const pinned = computed(() => {
    void pinWrites.value
    return file.value === null ? null : readPin(file.value)
  })
  /** The project's runs as last listed (oldest first). */
  const runs = shallowRef<RunSummary[]>([])
  /** The newest run known; null until a list or a finished run names one. */
  const latest = ref<number | null>(null)
  /** The run kept while a worse newer one waits for an answer. */
  const held = ref<number | null>(null)
  const question = shallowRef<WorseRun | null>(null)

  /** The run the views should show; null: none known yet (the service's latest). */
  const activeId = computed(() => pinned.value ?? held.value ?? latest.value)

  function setRuns(list: readonly RunSummary[]): void {
    runs.value = [...list]
    const newest = list.reduce<number | null>((m, r) => (m === null || r.id > m ? r.id : m), null)
    if (newest !== null && (latest.value === null || newest > latest.value || !list.some((r) => r.id === latest.value))) latest.value = newest
    if (newest === null) latest.value = null
    // A deleted run can be neither pinned nor held.
    if (pinned.value !== null && !list.some((r) => r.id === pinned.value)) unpin()
    if (held.value !== null && !list.some((r) => r.id === held.value)) {
      held.value = null
      question.value = null
    }
  }

  async function refresh(): Promise<RunSummary[] | null> {
    const asked = file.value
    if (asked === null) return null
    try {
      const list = await bridge.invoke('train:runs', {})
      if (asked !== file.value) return null
      setRuns(list)
      return list
    } catch {
      // Without the list the latest run is the service's; nothing to compare a new run with.
      return null
    }
  }

  function pin(id: number): void {
    if (file.value === null) return
    writePin(file.value, id)
    pinWrites.value++
    held.value = null
    question.value = null
  }

  function unpin(): void {
    if (file.value === null) return
    writePin(file.value, null)
    pinWrites.value++
  }

  /** The answer to the question: use the newer run, or keep the active one (which pins it). */
  function answer(use: 'new' | 'kept'): void {
    const q = question.value
    if (q === null) return
    question.value = null
    held.value = null
    if (use === 'kept') pin(q.activeRun)
  }

  async function onDone(d: TrainDone): Promise<void> {
    if (d.project !== file.value) return
    // The run active before this one finished: compared with it before the new run may take over.
    const before = pinned.value ?? held.value ?? latest.value
    if (pinned.value === null && before !== null) held.value = before
    const list = await refresh()
    if (d.project !== file.value) return
    if (latest.value === null || d.runId > latest.value) latest.value = d.runId
    if (pinned.value !== null) return
    const old = before === null ? undefined : list?.find((r) => r.id === before)
    const grouped = rule.decodeGroups
    if (old !== undefined && old.id !== d.runId) {
      const newExact = comparedExact(d.metrics, grouped)
      const activeExact = comparedExact(old.metrics, grouped)
      if (newExact < activeExact) {
        question.value = { newRun: d.runId, newExact, activeRun: old.id, activeExact, grouped: grouped && d.metrics.exactMatchGrouped !== undefined }
        return
      }
    }
    held.value = null
    question.value = null
  }

  function reset(): void {
    runs.value = []
    latest.value = null
    held.value = null
    question.value = null
  }

  watch(
    file,
    (now, before) => {
      if (now === before) return
      reset()
      if (now !== null) void refresh()
    },
    { immediate: true },
  )

  const off = bridge.on('train:done', (d) => void onDone(d))
  onScopeDispose(off)

  return { runs, latest, pinned, held, question, activeId, setRuns, refresh, pin, unpin, answer }
})
