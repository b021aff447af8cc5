import { describe, expect, it, vi } from 'vitest'
import type { RequestName, Requests, TagsmithApi, TryAnswer } from '../../../src-preload/contract.ts'
import { usePredictionRuleStore } from '../../../src-renderer/stores/prediction-rule.ts'
import { useActiveRunStore } from '../../../src-renderer/stores/active-run.ts'
import { useDockStore } from '../../../src-renderer/stores/dock.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useThresholdsStore } from '../../../src-renderer/stores/thresholds.ts'
import { useTryStore } from '../../../src-renderer/stores/try-images.ts'
import { decideLabels } from '../../../src-shared/label-decisions.ts'
import { evaluate, type PredictionMatrix } from '../../../src-renderer/lib/prediction-metrics.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { caseRows, GROUPS, LABELS, PredictionsBridge } from './predictions-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

// Probabilities the fake service gives each file, by name: a, b (one group) and c.
const PROBS: Record<string, number[]> = { 'one.jpg': [0.3, 0.45, 0.55], 'two.png': [0.8, 0.9, 0.2] }

class TryBridge extends PredictionsBridge {
  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name === 'images:add') return Promise.resolve(this.#added(input as Requests['images:add']['in']) as Requests[K]['out'])
    if (name !== 'model:try') return super.answer(name, input)
    const { runId, files, decodeGroups } = input as Requests['model:try']['in']
    const answer: TryAnswer = {
      runId: runId ?? 3,
      labels: LABELS,
      thresholds: [0.5, 0.5, 0.5],
      groups: GROUPS,
      decodeGroups: decodeGroups ?? true,
      engine: 'onnx',
      cold: false,
      loadMs: 0,
      results: files.map((f) => {
        const probs = PROBS[f.name]
        if (probs === undefined) return { name: f.name, error: { code: 'BAD_INPUT', message: `${f.name}: not a recognised image format` } }
        return { name: f.name, probs, decision: [0, 0, 0], timings: { decode: 1, features: 2, head: 0.5 } }
      }),
    }
    return Promise.resolve(answer as Requests[K]['out'])
  }

  /** The upload becomes row 6 with the cells asked for; a second add of it is a duplicate. */
  #added(input: Requests['images:add']['in']): Requests['images:add']['out'] {
    const upload = input.uploads?.[0]
    const rel = `added/${upload?.name ?? ''}`
    if (this.rows.some((r) => r.path === rel)) return { added: [], duplicates: [{ name: upload?.name ?? '', existing: rel }], skipped: [], refused: [], result: null }
    const row = { id: 6, path: rel, source: 'train.csv', split: 'train' as const, status: 'ok' as const, labels: LABELS.map((l) => input.cells?.[l] ?? null), edited: false, hash8: '00000006' }
    this.rows.push(row)
    return { added: [{ id: 6, rel }], duplicates: [], skipped: [], refused: [], result: { group: 9, changes: [], rows: [row], canUndo: true, canRedo: false, structure: 'images-add' } }
  }
}

/** The model:try calls that carried images. */
const sent = (fake: TryBridge): Array<Requests['model:try']['in']> =>
  (fake.callsOf('model:try') as Array<Requests['model:try']['in']>).filter((c) => c.files.length > 0)
const file = (name: string, text = name): File => new File([text], name, { type: 'image/jpeg' })

async function setUp(): Promise<{ fake: TryBridge; store: ReturnType<typeof useTryStore> }> {
  const fake = new TryBridge(caseRows(), GROUPS)
  await openProject(fake, use)
  await useActiveRunStore().refresh()
  const store = useTryStore()
  store.openPanel()
  return { fake, store }
}

async function settled(store: ReturnType<typeof useTryStore>): Promise<void> {
  await vi.waitFor(() => expect(store.rows.every((r) => r.state !== 'pending')).toBe(true))
}

describe('the Try panel', () => {
  it('docks as "try", loads the active run\'s model, and sends each file as base64 to it, newest row first', async () => {
    const { fake, store } = await setUp()
    expect(useDockStore().panel).toBe('try')
    store.add([file('one.jpg'), file('two.png')])
    expect(store.rows.map((r) => [r.name, r.state])).toEqual([
      ['two.png', 'pending'],
      ['one.jpg', 'pending'],
    ])
    await settled(store)
    expect(fake.callsOf('model:try')).toEqual([
      // Opening the panel loads the run's model before any image.
      { runId: 3, files: [] },
      { runId: 3, files: [{ name: 'one.jpg', bytesBase64: btoa('one.jpg') }], decodeGroups: true },
      { runId: 3, files: [{ name: 'two.png', bytesBase64: btoa('two.png') }], decodeGroups: true },
    ])
    expect(store.rows.every((r) => r.state === 'done' && r.runId === 3)).toBe(true)
  })

  it('decides each row as the Predictions panel decides it: groups by most probable, the sliders, the rule', async () => {
    const { store } = await setUp()
    store.add([file('one.jpg'), file('two.png')])
    await settled(store)
    const decided = (name: string): number[] => Array.from(store.decisions.get(store.rows.find((r) => r.name === name)?.key ?? -1) ?? [])
    // The group {a, b} takes its most probable label whatever the thresholds; c its threshold.
    expect(decided('one.jpg')).toEqual([0, 1, 1])
    expect(decided('two.png')).toEqual([0, 1, 0])
    // The run's sliders (once Predictions shows run 3) decide c at their value.
    await usePredictionsStore().load(3)
    useThresholdsStore().setThreshold('c', 0.6)
    expect(decided('one.jpg')).toEqual([0, 1, 0])
    // Without group decoding every label is decided by its threshold.
    usePredictionRuleStore().setDecodeGroups(false)
    expect(decided('two.png')).toEqual([1, 1, 0])
  })

  it('names a file that is not an image and a file too large to send; the larger one is never sent', async () => {
    const { fake, store } = await setUp()
    const big = new File([new Uint8Array(40 * 1024 * 1024 + 1)], 'huge.jpg', { type: 'image/jpeg' })
    store.add([file('notes.jpg'), big])
    await settled(store)
    expect(store.rows.find((r) => r.name === 'notes.jpg')?.error).toBe('notes.jpg: not a recognised image format')
    expect(store.rows.find((r) => r.name === 'huge.jpg')?.error).toBe('huge.jpg: 40.0 MB, above the limit of 40 MB for an image to try')
    expect(sent(fake).map((c) => c.files[0]?.name)).toEqual(['notes.jpg'])
  })

  it('labels every row again when another run is picked; clearing drops the rows', async () => {
    const { fake, store } = await setUp()
    store.add([file('one.jpg')])
    await settled(store)
    store.pickRun(2)
    await vi.waitFor(() => expect(store.rows[0]?.runId).toBe(2))
    expect(sent(fake).map((c) => c.runId)).toEqual([3, 2])
    store.clear()
    expect(store.rows).toEqual([])
  })
})

describe('Add to project', () => {
  it('adds the image with its decided labels as its cells, as one undoable step, once', async () => {
    const { fake, store } = await setUp()
    store.add([file('one.jpg', 'jpeg bytes')])
    await settled(store)
    const key = store.rows[0]?.key ?? -1
    expect(await store.addToProject(key)).toBe(true)
    expect(fake.callsOf('images:add')).toEqual([{ uploads: [{ name: 'one.jpg', dataBase64: btoa('jpeg bytes') }], cells: { a: 0, b: 1, c: 1 } }])
    expect(store.rows[0]?.added).toEqual({ ok: true, message: 'Added as added/one.jpg' })
    expect(useLabelsStore().canUndo).toBe(true)
    // Added once: the button is gone, and asking again sends nothing.
    expect(await store.addToProject(key)).toBe(false)
    expect(fake.callsOf('images:add')).toHaveLength(1)
    // The same file tried again is already there.
    store.add([file('one.jpg', 'jpeg bytes')])
    await settled(store)
    expect(await store.addToProject(store.rows[0]?.key ?? -1)).toBe(false)
    expect(store.rows[0]?.added).toEqual({ ok: false, message: 'Already in the project as added/one.jpg' })
  })
})

describe('the shared decision rule', () => {
  it("gives the Predictions panel's decisions on random probabilities, ties and every rule", () => {
    let seed = 7
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647)
    const L = 7
    const n = 200
    // Coarse values make ties within a group and at a threshold common.
    const probs = Float32Array.from({ length: n * L }, () => Math.round(rnd() * 10) / 10)
    const thresholds = [0.5, 0.3, 0.7, 0.5, 0.1, 0.9, 0.6]
    const groups = [[0, 1, 2], [4, 5]]
    const m: PredictionMatrix = { runId: 1, labels: 'abcdefg'.split(''), imageIds: Int32Array.from({ length: n }, (_, i) => i + 1), probs, source: new Uint8Array(n) }
    for (const decode of [true, false]) {
      const panel = evaluate(m, new Int8Array(n * L).fill(-1), thresholds, groups, { decodeGroups: decode, split: 0 }).decisions
      expect(Array.from(decideLabels(probs, n, L, thresholds, groups, decode))).toEqual(Array.from(panel))
    }
  })
})
