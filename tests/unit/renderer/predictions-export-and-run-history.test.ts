import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useModelExportStore } from '../../../src-renderer/stores/model-export.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useRunCompareStore } from '../../../src-renderer/stores/run-compare.ts'
import { useThresholdsStore } from '../../../src-renderer/stores/thresholds.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { casePredictions, PredictionsBridge } from './predictions-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

async function loaded(fake: PredictionsBridge): Promise<ReturnType<typeof usePredictionsStore>> {
  await openProject(fake, use)
  const predictions = usePredictionsStore()
  await vi.waitFor(() => expect(predictions.runId).toBe(3))
  return predictions
}

describe('model export', () => {
  it('exports the shown run, shows the job progress meanwhile, then the files and the self-check', async () => {
    const fake = new PredictionsBridge()
    fake.holdExport = true
    await loaded(fake)
    const p = useModelExportStore()
    const done = p.exportModel('  out/model ')
    await vi.waitFor(() => expect(fake.callsOf('model:export')).toEqual([{ runId: 3, outDir: 'out/model' }]))
    expect(p.exporting).toBe(true)
    fake.emit('job:progress', { jobId: 'export-model-1', kind: 'export-model', phase: 'verify', done: 3, total: 8, rate: 2, etaSeconds: 2.5 })
    // Another job's progress is not the export's.
    fake.emit('job:progress', { jobId: 'train-2', kind: 'train', phase: 'extract', done: 1, total: 9, rate: 1, etaSeconds: 8 })
    expect(p.progress).toMatchObject({ phase: 'verify', done: 3, total: 8 })
    fake.releaseExport()
    expect(await done).toBe(true)
    expect(p.exporting).toBe(false)
    expect(p.progress).toBeNull()
    expect(p.result?.files).toContain('model.json')
    expect(p.verified).toBe(true)
  })

  it('a difference above 1e-4 is not called verified; an empty folder is refused before asking', async () => {
    const fake = new PredictionsBridge()
    fake.exportAnswer = { ...fake.exportAnswer, maxAbsDiff: 2e-3 }
    await loaded(fake)
    const p = useModelExportStore()
    expect(await p.exportModel('   ')).toBe(false)
    expect(p.error?.message).toBe('Choose an output folder')
    expect(fake.callsOf('model:export')).toEqual([])
    expect(await p.exportModel('out')).toBe(true)
    expect(p.verified).toBe(false)
  })

  it('a threshold move not yet saved is saved before the export writes the thresholds', async () => {
    const fake = new PredictionsBridge()
    await loaded(fake)
    useThresholdsStore().setGlobal(0.42)
    await useModelExportStore().exportModel('out')
    expect(fake.calls.map((c) => c.name).filter((n) => n === 'thresholds:set' || n === 'model:export')).toEqual(['thresholds:set', 'model:export'])
  })

  it('the result stays while another run is picked, and goes when the run shown is deleted', async () => {
    const fake = new PredictionsBridge()
    const p = await loaded(fake)
    const modelExport = useModelExportStore()
    expect(await modelExport.exportModel('out')).toBe(true)
    fake.predictions = casePredictions(2)
    await p.load(2)
    expect(modelExport.result).not.toBeNull()
    fake.predictions = casePredictions(3)
    await p.load(3)
    fake.predictions = casePredictions(2)
    await useRunCompareStore().remove(3)
    expect(p.runId).toBe(2)
    expect(modelExport.result).toBeNull()
  })
})

describe('run history', () => {
  it('compares two runs side by side with the difference', async () => {
    const fake = new PredictionsBridge()
    await loaded(fake)
    const runs = useRunCompareStore()
    await runs.refresh()
    expect(runs.runs.map((r) => r.id)).toEqual([2, 3])
    expect(await runs.compare(2, 3)).toBe(true)
    expect(fake.callsOf('train:run')).toEqual([{ id: 2 }, { id: 3 }])
    const exact = runs.rows.find((r) => r.key === 'exactMatch')
    expect(exact).toMatchObject({ left: 0.25, right: 0.5, delta: 0.25 })
    // No run has a grouped figure: no row for it.
    expect(runs.rows.some((r) => r.key === 'exactMatchGrouped')).toBe(false)
    const apA = runs.rows.find((r) => r.key === 'ap:a')
    expect(apA?.left).toBeCloseTo(0.72, 12)
    expect(apA?.delta).toBeCloseTo(0.01, 12)
  })

  it('deleting the run whose predictions are shown loads the latest remaining run', async () => {
    const fake = new PredictionsBridge()
    const p = await loaded(fake)
    const runs = useRunCompareStore()
    await runs.refresh()
    await runs.compare(2, 3)
    fake.predictions = casePredictions(2)
    await runs.remove(3)
    expect(fake.callsOf('train:delete')).toEqual([{ id: 3 }])
    expect(runs.runs.map((r) => r.id)).toEqual([2])
    expect(runs.rows).toEqual([])
    expect(p.runId).toBe(2)
  })

  it('a missing run is an error, not a half comparison', async () => {
    const fake = new PredictionsBridge()
    await loaded(fake)
    const runs = useRunCompareStore()
    expect(await runs.compare(2, 9)).toBe(false)
    expect(runs.error).toEqual({ code: 'NOT_FOUND', message: 'no run 9' })
    expect(runs.rows).toEqual([])
  })
})
