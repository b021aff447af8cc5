import { defineStore } from 'pinia'
import { computed, onScopeDispose, ref, shallowRef, watch } from 'vue'
import type { TryTimings, WireError } from '../../src-preload/contract.ts'
import { getBridge } from '../bridge.ts'
import { toWireError } from '../lib/errors.ts'
import { refusal, rowDecisions, toBase64 } from '../lib/try-files.ts'
import { useActiveRunStore } from './active-run.ts'
import { useDockStore } from './dock.ts'
import { useLabelsStore } from './labels.ts'
import { usePredictionRuleStore } from './prediction-rule.ts'
import { useProjectStore } from './project.ts'
import { useThresholdsStore } from './thresholds.ts'

/** One image in the Try panel: waiting, labelled by a run, or refused with a message naming it. */
export interface TryRow {
  key: number
  name: string
  /** object URL of the file's bytes, for the thumbnail */
  url: string
  state: 'pending' | 'done' | 'error'
  runId: number | null
  labels: readonly string[]
  probs: readonly number[]
  /** the run's thresholds the answer was decided at */
  thresholds: readonly number[]
  /** the groups the service decided by */
  groups: readonly string[][]
  timings: TryTimings | null
  error: string | null
  /** 'Add to project': under way, then what came of it (added, already there, refused: in words) */
  adding: boolean
  added: { ok: boolean; message: string } | null
}

/**
 * The Try panel: image files from anywhere (chosen, dropped or pasted; never added to the project) labelled
 * by a run, the active one unless another is picked here. Each file is one model:try request, so the first
 * row is labelled while the others wait. Rows are decided as the Predictions panel decides: the same
 * thresholds (the sliders' when the run is the one they show), groups and rule.
 */
/** A name for a pasted image, which has none: its type gives the extension the project's folder needs. */
function pastedName(type: string): string {
  const ext = /^image\/(png|jpeg|gif|webp|avif|bmp|tiff)$/.exec(type)?.[1]?.replace('jpeg', 'jpg') ?? 'png'
  return `pasted-${new Date().toISOString().replace(/[:.]/g, '-')}.${ext}`
}

export const useTryStore = defineStore('tryImages', () => {
  const bridge = getBridge()
  const dock = useDockStore()
  const project = useProjectStore()
  const activeRun = useActiveRunStore()
  const rule = usePredictionRuleStore()
  const thresholdsStore = useThresholdsStore()
  const labelsStore = useLabelsStore()

  const rows = shallowRef<TryRow[]>([])
  /** The run picked in the panel; null follows the active run. */
  const picked = ref<number | null>(null)
  const runId = computed(() => picked.value ?? activeRun.activeId)
  const busy = ref(false)
  const error = ref<WireError | null>(null)
  /** The files behind the rows, kept to label them again when another run is picked. */
  const files = new Map<number, File>()
  let nextKey = 1
  let queue: Promise<void> = Promise.resolve()
  /** Bumped when rows are cleared or the project changes: answers to older requests are dropped. */
  let epoch = 0

  function patch(key: number, change: Partial<TryRow>): void {
    rows.value = rows.value.map((r) => (r.key === key ? { ...r, ...change } : r))
  }

  /** Per row, the thresholds it is decided at: the sliders' while they show its run, else the answer's. */
  function thresholdsOf(r: TryRow): ArrayLike<number> {
    const live = thresholdsStore.runId === r.runId && thresholdsStore.thresholds.length === r.labels.length
    return live ? thresholdsStore.thresholds : r.thresholds
  }

  /** Per row, its decisions now (the rule and the sliders may have moved since it was labelled). */
  const decisions = computed(() => {
    const declared = project.info?.groups ?? []
    const out = new Map<number, Uint8Array>()
    for (const r of rows.value) {
      if (r.state !== 'done') continue
      out.set(r.key, rowDecisions(r.probs, r.labels, thresholdsOf(r), declared.length > 0 ? declared : r.groups, rule.decodeGroups))
    }
    return out
  })

  async function label(key: number, file: File, run: number | null, at: number): Promise<void> {
    const refused = refusal(file)
    if (refused !== null) return patch(key, { state: 'error', error: refused })
    try {
      // A slider move not yet saved is saved first: the service decides at the stored thresholds.
      await thresholdsStore.flush()
      const bytesBase64 = toBase64(new Uint8Array(await file.arrayBuffer()))
      const answer = await bridge.invoke('model:try', {
        ...(run === null ? {} : { runId: run }),
        files: [{ name: file.name, bytesBase64 }],
        decodeGroups: rule.decodeGroups,
      })
      if (at !== epoch || !rows.value.some((r) => r.key === key)) return
      const result = answer.results[0]
      if (result === undefined) return patch(key, { state: 'error', error: `${file.name}: no answer` })
      if ('error' in result) return patch(key, { state: 'error', runId: answer.runId, error: result.error.message })
      patch(key, {
        state: 'done',
        runId: answer.runId,
        labels: answer.labels,
        probs: result.probs,
        thresholds: answer.thresholds,
        groups: answer.groups,
        timings: result.timings,
        error: null,
      })
    } catch (err) {
      if (at !== epoch) return
      // The run or the project is the problem (no run yet, no project): the panel says it once.
      const wire = toWireError(err)
      patch(key, { state: 'error', error: `${file.name}: ${wire.message}` })
      error.value = wire
    }
  }

  /** Runs each file's request after the ones before it. */
  function enqueue(key: number, file: File): void {
    const run = runId.value
    const at = epoch
    busy.value = true
    queue = queue.then(() => label(key, file, run, at)).finally(() => {
      if (!rows.value.some((r) => r.state === 'pending')) busy.value = false
    })
  }

  /** Adds files as rows, newest first, and labels them in order. */
  function add(list: Iterable<File>): void {
    const added: TryRow[] = []
    for (const file of list) {
      const key = nextKey++
      files.set(key, file)
      added.push({
        key,
        name: file.name || pastedName(file.type),
        url: URL.createObjectURL(file),
        state: 'pending',
        runId: null,
        labels: [],
        probs: [],
        thresholds: [],
        groups: [],
        timings: null,
        error: null,
        adding: false,
        added: null,
      })
    }
    if (added.length === 0) return
    error.value = null
    rows.value = [...added.slice().reverse(), ...rows.value]
    for (const r of added) enqueue(r.key, files.get(r.key) as File)
  }

  /**
   * Adds a labelled row's image to the project (copied under the images folder's added/) with its decided
   * labels as its cells, as one undoable step; labels the project does not have are left out.
   */
  async function addToProject(key: number): Promise<boolean> {
    const row = rows.value.find((r) => r.key === key)
    const file = files.get(key)
    const decision = decisions.value.get(key)
    if (row === undefined || file === undefined || decision === undefined || row.adding || row.added?.ok === true) return false
    const projectLabels = project.info?.labels ?? []
    const cells = Object.fromEntries(row.labels.flatMap((l, j) => (projectLabels.includes(l) ? [[l, decision[j] === 1 ? 1 : 0] as const] : [])))
    patch(key, { adding: true })
    try {
      const dataBase64 = toBase64(new Uint8Array(await file.arrayBuffer()))
      const answer = await labelsStore.commitEdit(
        () => bridge.invoke('images:add', { uploads: [{ name: row.name, dataBase64 }], cells }),
        (a) => a.result,
      )
      const added = answer.added[0]
      const duplicate = answer.duplicates[0]
      const other = answer.skipped[0] ?? answer.refused[0]
      const message = added
        ? `Added as ${added.rel}`
        : duplicate
          ? `Already in the project as ${duplicate.existing}`
          : `Not added: ${other?.reason ?? 'the project took nothing'}`
      patch(key, { adding: false, added: { ok: added !== undefined, message } })
      return added !== undefined
    } catch (err) {
      patch(key, { adding: false, added: { ok: false, message: `Not added: ${toWireError(err).message}` } })
      return false
    }
  }

  /** Labels every row again (another run picked). */
  function relabel(): void {
    epoch++
    const keys = rows.value.map((r) => r.key)
    rows.value = rows.value.map((r) => ({ ...r, state: 'pending', error: null, added: null }))
    for (const key of [...keys].reverse()) {
      const file = files.get(key)
      if (file) enqueue(key, file)
    }
  }

  /** Picks the run rows are labelled by; null follows the active run. */
  function pickRun(id: number | null): void {
    if (id === picked.value) return
    picked.value = id
  }

  function remove(key: number): void {
    const row = rows.value.find((r) => r.key === key)
    if (row) URL.revokeObjectURL(row.url)
    files.delete(key)
    rows.value = rows.value.filter((r) => r.key !== key)
  }

  function clear(): void {
    epoch++
    for (const r of rows.value) URL.revokeObjectURL(r.url)
    files.clear()
    rows.value = []
    error.value = null
    busy.value = false
  }

  function dismissError(): void {
    error.value = null
  }

  /** Loads the run's model ahead of the first image; a failure says nothing here (the first image will). */
  function warm(): void {
    const run = runId.value
    bridge.invoke('model:try', { ...(run === null ? {} : { runId: run }), files: [] }).catch(() => undefined)
  }

  function openPanel(): void {
    dock.open('try')
    if (activeRun.runs.length === 0) void activeRun.refresh()
    warm()
  }

  function closePanel(): void {
    dock.close('try')
  }

  function togglePanel(): void {
    if (dock.panel === 'try') closePanel()
    else openPanel()
  }

  // The run that labels the rows changed: they are labelled again by it (or its model loaded for the next).
  watch(runId, (now, before) => {
    if (now === before || dock.panel !== 'try') return
    if (rows.value.length > 0) relabel()
    else warm()
  })
  // Another project: its runs label nothing here.
  watch(
    () => project.info?.file ?? null,
    (now, before) => {
      if (now === before) return
      picked.value = null
      clear()
    },
  )
  onScopeDispose(() => clear())

  return { rows, picked, runId, busy, error, decisions, thresholdsOf, add, addToProject, pickRun, remove, clear, dismissError, openPanel, closePanel, togglePanel }
})
