import { afterEach, describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { usePredictionCellsStore } from '../../../src-renderer/stores/prediction-cells.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { PERSIST_MS, useThresholdsStore } from '../../../src-renderer/stores/thresholds.ts'
import { openProject } from './open-sample.ts'
import { casePredictions, PredictionsBridge } from './predictions-fake.ts'
import { trainDone } from './train-done.ts'
import type { FakeBridge } from './fake-bridge.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

async function loaded(fake: PredictionsBridge): Promise<ReturnType<typeof usePredictionsStore>> {
  await openProject(fake, use)
  const predictions = usePredictionsStore()
  await vi.waitFor(() => expect(predictions.runId).toBe(3))
  return predictions
}

const counts = (p: ReturnType<typeof usePredictionsStore>, label: string): number[] => {
  const l = p.metrics?.perLabel.find((x) => x.label === label)
  return [l?.tp ?? -1, l?.fp ?? -1, l?.fn ?? -1]
}

afterEach(() => {
  vi.useRealTimers()
})

describe('predictions store: thresholds', () => {
  it('loads the latest run when the project opens and measures the val split', async () => {
    const fake = new PredictionsBridge()
    const p = await loaded(fake)
    expect(fake.callsOf('predict:get')).toEqual([{}])
    expect(p.splits).toEqual(['val', 'oof'])
    expect(p.split).toBe('val')
    expect(p.metrics?.n).toBe(4)
    expect(p.metrics?.exactMatch).toBe(0.25)
    expect(p.metrics?.exactMatchGrouped).toBeNull()
    expect([p.evaluation?.missing, p.evaluation?.extra]).toEqual([3, 2])
    expect(p.lastMs).toBeGreaterThanOrEqual(0)
  })

  it('moving the global slider sets every label and changes decisions, badges and metrics', async () => {
    const p = await loaded(new PredictionsBridge())
    const perImage = usePredictionCellsStore()
    const thresholds = useThresholdsStore()
    expect(counts(p, 'a')).toEqual([1, 1, 1])
    expect(p.metrics?.microF1).toBeCloseTo(6 / 10, 12)
    expect(perImage.cells(3)?.[0]).toMatchObject({ label: 'a', decision: 0, status: 'extra' })

    thresholds.setGlobal(0.35)
    expect(Array.from(thresholds.thresholds)).toEqual([0.35, 0.35, 0.35])
    expect(thresholds.globalThreshold).toBe(0.35)
    // Image 3's a (p 0.4, labelled) is now predicted: no longer extra; its false negative is gone.
    expect(perImage.cells(3)?.[0]).toMatchObject({ decision: 1, status: 'agree' })
    expect(counts(p, 'a')).toEqual([2, 1, 0])
    // b: image 3 (p 0.45, not labelled) becomes a false positive.
    expect(counts(p, 'b')).toEqual([1, 1, 1])
    expect(p.metrics?.microF1).toBeCloseTo(8 / 12, 12)
    expect([p.evaluation?.missing, p.evaluation?.extra]).toEqual([4, 1])

    thresholds.setGlobal(0.95)
    expect(counts(p, 'a')).toEqual([0, 0, 2])
    expect(p.evaluation?.missing).toBe(0)
  })

  it('a label slider overrides the global value for that label only', async () => {
    await loaded(new PredictionsBridge())
    const perImage = usePredictionCellsStore()
    const thresholds = useThresholdsStore()
    thresholds.setGlobal(0.6)
    thresholds.setThreshold('c', 0.5)
    expect(Array.from(thresholds.thresholds)).toEqual([0.6, 0.6, 0.5])
    expect(thresholds.mixed).toBe(true)
    expect(perImage.cells(3)?.[2]).toMatchObject({ label: 'c', decision: 1, threshold: 0.5 })
    expect(perImage.cells(2)?.[0]).toMatchObject({ label: 'a', decision: 1, threshold: 0.6 })
    // The global slider again sets all of them.
    thresholds.setGlobal(0.56)
    expect(thresholds.mixed).toBe(false)
    expect(perImage.cells(3)?.[2]).toMatchObject({ decision: 0 })
  })

  it('saves threshold moves once the slider rests: one thresholds:set with the last values', async () => {
    const fake = new PredictionsBridge()
    await loaded(fake)
    const thresholds = useThresholdsStore()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    for (const t of [0.4, 0.45, 0.5, 0.55]) thresholds.setGlobal(t)
    thresholds.setThreshold('b', 0.3)
    expect(fake.callsOf('thresholds:set')).toEqual([])
    vi.advanceTimersByTime(PERSIST_MS + 1)
    expect(fake.callsOf('thresholds:set')).toEqual([{ runId: 3, thresholds: [0.55, 0.3, 0.55] }])
    vi.advanceTimersByTime(PERSIST_MS * 4)
    expect(fake.callsOf('thresholds:set')).toHaveLength(1)
  })

  it('a move not yet saved is saved before another run loads', async () => {
    const fake = new PredictionsBridge()
    const p = await loaded(fake)
    const thresholds = useThresholdsStore()
    thresholds.setGlobal(0.7)
    fake.predictions = casePredictions(2)
    await p.load(2)
    expect(fake.callsOf('thresholds:set')).toEqual([{ runId: 3, thresholds: [0.7, 0.7, 0.7] }])
    expect(p.runId).toBe(2)
    expect(Array.from(thresholds.thresholds)).toEqual([0.5, 0.5, 0.5])
  })

  it('tune on validation asks the service and shows its thresholds; the tuned values can be restored', async () => {
    const fake = new PredictionsBridge()
    const p = await loaded(fake)
    const thresholds = useThresholdsStore()
    expect(await thresholds.tune({ kind: 'f1' })).toBe(true)
    expect(await thresholds.tune({ kind: 'precision', precision: 0.9 })).toBe(true)
    expect(fake.callsOf('thresholds:tune')).toEqual([
      { runId: 3, target: 'f1' },
      { runId: 3, target: 'precision', precision: 0.9 },
    ])
    expect(Array.from(thresholds.thresholds)).toEqual([0.35, 0.5, 0.6])
    expect(counts(p, 'a')).toEqual([2, 1, 0])
    thresholds.setGlobal(0.5)
    thresholds.applyTuned()
    expect(Array.from(thresholds.thresholds)).toEqual([0.35, 0.5, 0.6])
  })

  it('loads the new run when a training of this project finishes', async () => {
    const fake = new PredictionsBridge()
    const p = await loaded(fake)
    fake.predictions = { ...casePredictions(4), thresholds: [0.2, 0.3, 0.4] }
    fake.emit('train:done', trainDone({ jobId: 'train-1', runId: 4, project: 'other.tagsmith' }))
    expect(fake.callsOf('predict:get')).toHaveLength(1)
    fake.emit('train:done', trainDone({ jobId: 'train-2', runId: 4 }))
    await vi.waitFor(() => expect(p.runId).toBe(4))
    expect(fake.callsOf('predict:get')).toEqual([{}, { runId: 4 }])
    expect(Array.from(useThresholdsStore().thresholds)).toEqual([0.2, 0.3, 0.4])
  })

  it('a project without a run says why nothing is shown, without an error', async () => {
    const fake = new PredictionsBridge()
    fake.predictions = undefined as never
    const original = fake.invoke.bind(fake)
    fake.invoke = ((name, input) =>
      name === 'predict:get' ? Promise.reject({ code: 'NOT_FOUND', message: 'no trained run yet' }) : original(name, input)) as typeof fake.invoke
    await openProject(fake, use)
    const p = usePredictionsStore()
    await vi.waitFor(() => expect(p.notice).toBe('no trained run yet'))
    expect(p.error).toBeNull()
    expect(p.metrics).toBeNull()
  })
})
