import { describe, expect, it, vi } from 'vitest'
import type { RunMetrics, TagsmithApi } from '../../../src-preload/contract.ts'
import type { SplitMetrics } from '../../../src-renderer/lib/prediction-metrics.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useRunFiguresStore } from '../../../src-renderer/stores/run-figures.ts'
import { useThresholdsStore } from '../../../src-renderer/stores/thresholds.ts'
import { useTrainingStore } from '../../../src-renderer/stores/training.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { caseRows, GROUPS, PredictionsBridge } from './predictions-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** What the Predictions panel's table shows for validation, in the Train panel's shape. */
function predictionsTable(m: SplitMetrics): RunMetrics {
  const perLabel = Object.fromEntries(m.perLabel.map(({ label, ...f }) => [label, f]))
  const out: RunMetrics = { n: m.n, exactMatch: m.exactMatch, hammingAccuracy: m.hammingAccuracy, macroF1: m.macroF1, microF1: m.microF1, mAP: m.mAP, perLabel }
  if (m.exactMatchGrouped !== null) out.exactMatchGrouped = m.exactMatchGrouped
  return out
}

async function bothPanels(): Promise<{
  predictions: ReturnType<typeof usePredictionsStore>
  training: ReturnType<typeof useTrainingStore>
  figures: ReturnType<typeof useRunFiguresStore>
}> {
  // Labels a and b form a declared group; run 3 is the latest, and the one the predictions show.
  const fake = new PredictionsBridge(caseRows(), GROUPS)
  await openProject(fake, use)
  const predictions = usePredictionsStore()
  await vi.waitFor(() => expect(predictions.runId).toBe(3))
  const training = useTrainingStore()
  await training.showRun(3)
  expect(training.shownRunId).toBe(3)
  return { predictions, training, figures: useRunFiguresStore() }
}

describe('the Train panel and the Predictions panel agree on a run', () => {
  it('show identical validation figures and the same rule line for the same run and rule, whatever the rule', async () => {
    const { predictions, figures } = await bothPanels()
    const thresholds = useThresholdsStore()
    const seen = new Set<number>()
    const rules = [
      { decode: true, set: () => thresholds.setGlobal(0.5), rule: 'Decision: groups by most probable; other labels at 0.50' },
      { decode: false, set: () => thresholds.setGlobal(0.5), rule: 'Decision: every label at 0.50' },
      { decode: false, set: () => thresholds.setGlobal(0.3), rule: 'Decision: every label at 0.30' },
      { decode: true, set: () => void thresholds.tune({ kind: 'f1' }), rule: 'Decision: groups by most probable; other labels at tuned thresholds' },
      { decode: false, set: () => thresholds.applyTuned(), rule: 'Decision: every label at tuned thresholds' },
    ]
    for (const r of rules) {
      predictions.setDecodeGroups(r.decode)
      r.set()
      await vi.waitFor(() => expect(predictions.rule).toBe(r.rule))
      const shown = figures.figures
      expect(shown?.live).toBe(true)
      expect(shown?.rule).toBe(r.rule)
      const table = predictions.metrics
      if (table === null) throw new Error('no predictions table')
      expect(shown?.metrics).toEqual(predictionsTable(table))
      seen.add(table.hammingAccuracy)
    }
    // The rules decide differently here, so a table without its rule would show another figure.
    expect(seen.size).toBeGreaterThan(1)
  })

  it('keeps showing validation when the Predictions panel measures another split, by the same function', async () => {
    const { predictions, figures } = await bothPanels()
    const onVal = predictionsTable(predictions.metrics as SplitMetrics)
    predictions.setSplit('oof')
    expect(predictions.metrics?.n).toBe(1)
    expect(figures.figures?.metrics).toEqual(onVal)
  })

  it('labels a run not shown in Predictions by the rule it was stored with', async () => {
    const { training, figures } = await bothPanels()
    await training.showRun(2)
    expect(figures.figures?.live).toBe(false)
    expect(figures.figures?.rule).toBe('Decision: every label at 0.50, as trained')
    expect(figures.figures?.metrics.exactMatch).toBe(0.25)
  })
})
