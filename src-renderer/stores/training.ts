import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type {
  EngineName,
  EpochStats,
  JobEnded,
  JobProgress,
  RunDetail,
  RunMetrics,
  RunSummary,
  TrainBackends,
  TrainDone,
  TrainEpoch,
  TrainSettings,
  TrainStatus,
  WireError,
} from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { lowestValLossEpoch } from '../lib/best-epoch.ts'
import { engineChoices as choicesOf, type EngineChoice } from '../lib/engine-names.ts'
import { toWireError } from '../lib/errors.ts'
import { formProblem, formRequest, presetHead, runRequest, type SettingsForm } from '../lib/train-request.ts'
import { useActiveRunStore } from './active-run.ts'
import { useDockStore } from './dock.ts'
import { useProjectStore } from './project.ts'

export { engineLabel, type EngineChoice } from '../lib/engine-names.ts'

/** idle: nothing yet; starting: asked, no answer; running: the job's events arrive; then how it ended. */
export type TrainPhase = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'failed'

/**
 * The Train panel's state: the backend and backbone catalog, the settings, the running job (progress,
 * one point per epoch as train:epoch events arrive), its result, and the project's stored runs. The
 * only caller of the bridge for training.
 */
export const useTrainingStore = defineStore('training', () => {
  const bridge = getBridge()
  const project = useProjectStore()
  const dock = useDockStore()
  const activeRun = useActiveRunStore()

  const backends = shallowRef<TrainBackends | null>(null)
  const settings = ref<SettingsForm | null>(null)
  const phase = ref<TrainPhase>('idle')
  const jobId = ref<string | null>(null)
  const cancelling = ref(false)
  const progress = shallowRef<JobProgress | null>(null)
  /** The running (or last) job's epochs, in order; replaced, never mutated, so watchers see each one. */
  const epochs = shallowRef<EpochStats[]>([])
  const totalEpochs = ref(0)
  const result = shallowRef<TrainDone | null>(null)
  const runs = shallowRef<RunSummary[]>([])
  /** A stored run the user picked from the list; null shows the live (or last) job. */
  const shownRun = shallowRef<RunDetail | null>(null)
  const error = ref<WireError | null>(null)
  /** Jobs of others already looked at, so their progress events do not ask again. */
  const looked = new Set<string>()

  const running = computed(() => phase.value === 'starting' || phase.value === 'running')
  /**
   * What the chart plots: the picked run's history, or the job's epochs as they come. `best` is the epoch
   * the run kept (early stopping); while the job runs, the lowest validation loss so far.
   */
  const curve = computed<{ series: string; points: readonly EpochStats[]; total: number; best: number | null }>(() =>
    shownRun.value
      ? { series: `run-${shownRun.value.id}`, points: shownRun.value.history, total: shownRun.value.config.epochs, best: shownRun.value.bestEpoch }
      : {
          series: jobId.value ?? 'none',
          points: epochs.value,
          total: totalEpochs.value,
          best: result.value !== null && result.value.jobId === jobId.value ? result.value.bestEpoch : lowestValLossEpoch(epochs.value),
        },
  )
  const metrics = computed<RunMetrics | null>(() => shownRun.value?.metrics ?? result.value?.metrics ?? null)
  const shownRunId = computed(() => shownRun.value?.id ?? result.value?.runId ?? null)
  /** Automatic first, then every engine, fastest first; those that do not work here are disabled. */
  const engineChoices = computed<EngineChoice[]>(() => (backends.value === null ? [] : choicesOf(backends.value)))
  /** The engine of the run in view: the one that actually extracted (from train:done), else the one that will. */
  const engineInUse = computed<{ name: EngineName; ran: boolean } | null>(() => {
    if (result.value !== null && !running.value) return { name: result.value.engine, ran: true }
    const picked = settings.value?.engine ?? backends.value?.engine
    return picked === undefined ? null : { name: picked, ran: false }
  })

  async function attempt<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work()
    } catch (err) {
      error.value = toWireError(err)
      return undefined
    }
  }

  function openPanel(): void {
    dock.open('train')
    void loadBackends()
    void loadRuns()
    if (!running.value) void follow()
  }

  function closePanel(): void {
    dock.close('train')
  }

  function togglePanel(): void {
    if (dock.panel === 'train') closePanel()
    else openPanel()
  }

  async function loadBackends(): Promise<void> {
    if (backends.value !== null) return
    const answer = await attempt(() => bridge.invoke('train:backends', {}))
    if (answer === undefined) return
    backends.value = answer
    settings.value ??= {
      preset: answer.defaultPreset,
      backbone: answer.defaultBackbone,
      batchSize: answer.defaults.batchSize > 0 ? answer.defaults.batchSize : null,
      seed: answer.defaults.seed,
      classWeighting: answer.defaults.classWeighting,
      ...presetHead(answer.defaults, answer.presets.find((p) => p.id === answer.defaultPreset)),
      engine: null,
    }
  }

  /**
   * Picks a preset (null: one backbone alone): the head settings in the form become the ones it was
   * measured with, which the user may still change before training.
   */
  function choosePreset(id: string | null): void {
    const form = settings.value
    const known = backends.value
    if (form === null || known === null) return
    form.preset = id
    Object.assign(form, presetHead(known.defaults, id === null ? undefined : known.presets.find((p) => p.id === id)))
  }

  async function loadRuns(): Promise<void> {
    if (project.info === null) return
    const answer = await attempt(() => bridge.invoke('train:runs', {}))
    if (answer === undefined) return
    runs.value = answer
    activeRun.setRuns(answer)
  }

  /** Takes over a training already running for this project (started before a reload, or elsewhere). */
  async function follow(): Promise<void> {
    const status = await attempt(() => bridge.invoke('train:current', {}))
    if (!status || status.project !== project.info?.file || running.value) return
    adopt(status)
  }

  function adopt(status: TrainStatus): void {
    jobId.value = status.jobId
    phase.value = 'running'
    cancelling.value = false
    epochs.value = [...status.history]
    totalEpochs.value = status.epochs
    progress.value = status.progress
    result.value = null
    shownRun.value = null
  }

  /** Starts a run with the Train panel's settings. */
  async function start(): Promise<boolean> {
    const form = settings.value
    if (running.value || form === null) return false
    const problem = formProblem(form)
    if (problem !== null) {
      error.value = { code: 'BAD_INPUT', message: problem }
      return false
    }
    return launch(formRequest(form))
  }

  /**
   * Trains again with a stored run's settings (the review queue's warm retrain) and leaves the Train panel's
   * form as the user set it. The engine is the form's choice (automatic until the panel was opened).
   */
  async function retrainWith(runId: number): Promise<boolean> {
    if (running.value) return false
    if (!runs.value.some((r) => r.id === runId)) await loadRuns()
    const run = runs.value.find((r) => r.id === runId)
    if (running.value) return false
    if (run === undefined) {
      error.value = { code: 'NOT_FOUND', message: `no run ${runId}` }
      return false
    }
    return launch(runRequest(run, settings.value?.engine ?? null))
  }

  async function launch(input: TrainSettings): Promise<boolean> {
    error.value = null
    result.value = null
    shownRun.value = null
    progress.value = null
    epochs.value = []
    totalEpochs.value = input.epochs ?? 0
    jobId.value = null
    cancelling.value = false
    phase.value = 'starting'
    try {
      const answer = await bridge.invoke('train:start', input)
      // Events may have come first and named the job already; both agree.
      jobId.value = answer.jobId
      if (phase.value === 'starting') phase.value = 'running'
      return true
    } catch (err) {
      error.value = toWireError(err)
      phase.value = 'failed'
      jobId.value = null
      return false
    }
  }

  async function cancel(): Promise<void> {
    const id = jobId.value
    if (id === null || !running.value) return
    cancelling.value = true
    await attempt(() => bridge.invoke('job:cancel', { jobId: id }))
  }

  async function showRun(id: number): Promise<void> {
    if (result.value?.runId === id && !running.value) {
      shownRun.value = null
      return
    }
    const detail = await attempt(() => bridge.invoke('train:run', { id }))
    if (detail !== undefined) shownRun.value = detail
  }

  async function deleteRun(id: number): Promise<void> {
    const answer = await attempt(() => bridge.invoke('train:delete', { id }))
    if (answer === undefined) return
    runs.value = answer
    activeRun.setRuns(answer)
    if (shownRun.value?.id === id) shownRun.value = null
    if (result.value?.runId === id) result.value = null
  }

  function dismissError(): void {
    error.value = null
  }

  /** Is this event about the job we show? While the start request is out, the first training job is ours. */
  function ours(id: string): boolean {
    if (jobId.value === null && phase.value === 'starting') jobId.value = id
    return id === jobId.value
  }

  function onProgress(p: JobProgress): void {
    if (p.kind !== 'train') return
    if (ours(p.jobId)) progress.value = p
    else if (!running.value && !looked.has(p.jobId)) {
      // A training we did not start (another window): look once whether it is this project's.
      looked.add(p.jobId)
      void follow()
    }
  }

  function onEpoch(e: TrainEpoch): void {
    if (!ours(e.jobId)) return
    const last = epochs.value.at(-1)?.epoch ?? 0
    if (e.epoch <= last) return
    const { jobId: _jobId, ...stats } = e
    epochs.value = [...epochs.value, stats]
  }

  function onDone(d: TrainDone): void {
    if (!ours(d.jobId)) return
    result.value = d
    shownRun.value = null
    void loadRuns()
  }

  function onEnded(e: JobEnded): void {
    if (e.kind !== 'train' || !ours(e.jobId)) return
    phase.value = e.status === 'done' ? 'done' : e.status
    cancelling.value = false
    progress.value = null
    if (e.status === 'failed' && e.error) error.value = e.error
  }

  function reset(): void {
    phase.value = 'idle'
    jobId.value = null
    cancelling.value = false
    progress.value = null
    epochs.value = []
    totalEpochs.value = 0
    result.value = null
    runs.value = []
    shownRun.value = null
    error.value = null
  }

  // Another project: its runs, not this one's; a training of the old project goes on without us.
  watch(
    () => project.info?.file ?? null,
    (file, before) => {
      if (file === before) return
      reset()
      if (file !== null && dock.panel === 'train') {
        void loadRuns()
        void follow()
      }
    },
  )

  const offs = [
    bridge.on('job:progress', onProgress),
    bridge.on('train:epoch', onEpoch),
    bridge.on('train:done', onDone),
    bridge.on('job:ended', onEnded),
  ]
  onScopeDispose(() => offs.forEach((off) => off()))

  return {
    backends,
    settings,
    phase,
    jobId,
    cancelling,
    progress,
    epochs,
    totalEpochs,
    result,
    runs,
    shownRun,
    shownRunId,
    error,
    running,
    curve,
    metrics,
    engineChoices,
    engineInUse,
    openPanel,
    closePanel,
    togglePanel,
    loadBackends,
    loadRuns,
    start,
    retrainWith,
    choosePreset,
    cancel,
    showRun,
    deleteRun,
    dismissError,
  }
})
