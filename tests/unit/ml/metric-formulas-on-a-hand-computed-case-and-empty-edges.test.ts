import { describe, expect, it } from 'vitest'
import { labelMatrix } from '../../../src-main/core/ml/label-matrix.ts'
import { computeMetrics } from '../../../src-main/core/ml/metrics.ts'
import {
  averagePrecisionInOrder,
  f1Of,
  labelFigures,
  labelTable,
  precisionOf,
  recallOf,
  shareOf,
} from '../../../src-shared/metric-formulas.ts'
import { averagePrecisions, evaluate, rankRows, SOURCES, summarise, type PredictionMatrix } from '../../../src-renderer/lib/prediction-metrics.ts'

describe('metric formulas', () => {
  it('precision, recall and F1 from counts', () => {
    expect(precisionOf(2, 1)).toBe(2 / 3)
    expect(recallOf(1, 3)).toBe(1 / 4)
    // 2tp / (2tp + fp + fn) = 2 / (2 + 0 + 3)
    expect(f1Of(1, 0, 3)).toBe(2 / 5)
    expect(labelFigures(2, 1, 1, 0.75)).toEqual({ precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, ap: 0.75, support: 3, tp: 2, fp: 1, fn: 1 })
  })

  it('every empty case is 0: no prediction, no positive, nothing to divide by', () => {
    // no positive and no prediction
    expect(labelFigures(0, 0, 0, 0)).toEqual({ precision: 0, recall: 0, f1: 0, ap: 0, support: 0, tp: 0, fp: 0, fn: 0 })
    // predictions but no positive; positives but no prediction
    expect(labelFigures(0, 2, 0, 0)).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0 })
    expect(labelFigures(0, 0, 3, 0)).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 3 })
    expect(shareOf(0, 0)).toBe(0)
    expect(shareOf(3, 4)).toBe(0.75)
    expect(averagePrecisionInOrder([])).toBe(0)
    expect(averagePrecisionInOrder([0, 0, -1])).toBe(0)
  })

  it('average precision over a ranking; empty cells take no rank', () => {
    // positives at ranks 1 and 3: (1/1 + 2/3) / 2
    expect(averagePrecisionInOrder([1, 0, 1, 0])).toBe((1 + 2 / 3) / 2)
    expect(averagePrecisionInOrder(Int8Array.from([-1, 1, 0, -1, 1]))).toBe((1 + 2 / 3) / 2)
    expect(averagePrecisionInOrder([1, 1])).toBe(1)
    expect(averagePrecisionInOrder([0, 0, 1])).toBe(1 / 3)
  })

  it('per-label table with micro F1 over summed counts and macro F1 / mAP as means over labels', () => {
    const t = labelTable(4, [2, 1, 0, 0], [1, 0, 0, 2], [1, 3, 0, 0], [5 / 6, 1 / 2, 0, 0])
    expect(t.perLabel.map((l) => l.f1)).toEqual([2 / 3, 2 / 5, 0, 0])
    expect(t).toMatchObject({ tp: 3, fp: 3, fn: 4 })
    // micro: 2·3 / (2·3 + 3 + 4)
    expect(t.microF1).toBe(6 / 13)
    expect(t.macroF1).toBeCloseTo((2 / 3 + 2 / 5) / 4, 12)
    expect(t.mAP).toBeCloseTo((5 / 6 + 1 / 2) / 4, 12)
  })

  it('no label averages to 0, and a missing entry counts as 0', () => {
    expect(labelTable(0, [], [], [], [])).toEqual({ perLabel: [], microF1: 0, macroF1: 0, mAP: 0, tp: 0, fp: 0, fn: 0 })
    const t = labelTable(2, [1], [], [], [])
    expect(t.perLabel[1]).toEqual(labelFigures(0, 0, 0, 0))
    expect(t.perLabel[0]).toMatchObject({ precision: 1, recall: 1, f1: 1 })
  })
})

// 4 images x 3 labels at thresholds 0.5: x is ordinary, y has no positive and no prediction among its set
// cells (row 2 is empty), z has a wrong prediction and a miss, with a tie at 0.4 (positive row first).
const LABELS = ['x', 'y', 'z']
const TRUTH: Array<Array<0 | 1 | null>> = [
  [1, 0, 0],
  [0, 0, 1],
  [1, null, 0],
  [0, 0, 0],
]
const PROBS = [
  [0.9, 0.1, 0.7],
  [0.6, 0.2, 0.4],
  [0.3, 0.8, 0.2],
  [0.3, 0.3, 0.4],
]

describe('the engine and the predictions panel give the same figures for the same cells', () => {
  const probs = Float32Array.from(PROBS.flat())
  const engine = computeMetrics(probs, labelMatrix(TRUTH, 3), LABELS)
  const val = SOURCES.indexOf('val')
  const m: PredictionMatrix = {
    runId: 1,
    labels: LABELS,
    imageIds: Int32Array.from([1, 2, 3, 4]),
    probs,
    source: new Uint8Array(4).fill(val),
  }
  const truth = Int8Array.from(TRUTH.flat(), (v) => (v === null ? -1 : v))
  const ev = evaluate(m, truth, [0.5, 0.5, 0.5], [], { decodeGroups: false, split: val })
  const panel = summarise(LABELS, ev.split, averagePrecisions(m, truth, rankRows(m, val)), false)

  it('matches the hand-computed figures', () => {
    expect(engine.perLabel.x).toEqual({ precision: 0.5, recall: 0.5, f1: 0.5, ap: (1 + 2 / 3) / 2, support: 2, tp: 1, fp: 1, fn: 1 })
    expect(engine.perLabel.y).toEqual({ precision: 0, recall: 0, f1: 0, ap: 0, support: 0, tp: 0, fp: 0, fn: 0 })
    // z ranks rows 0 (neg), 1 (pos), 3 (neg, tied with row 1), 2: AP = 1/2
    expect(engine.perLabel.z).toEqual({ precision: 0, recall: 0, f1: 0, ap: 1 / 2, support: 1, tp: 0, fp: 1, fn: 1 })
    // totals tp 1, fp 2, fn 2 -> 2 / (2 + 2 + 2)
    expect(engine.microF1).toBe(1 / 3)
    expect(engine.macroF1).toBe(0.5 / 3)
    expect(engine.mAP).toBeCloseTo((5 / 6 + 1 / 2) / 3, 12)
    // 11 set cells, 7 right; only row 3 is right everywhere
    expect(engine.hammingAccuracy).toBe(7 / 11)
    expect(engine.exactMatch).toBe(1 / 4)
  })

  it('to the last bit', () => {
    for (const l of panel.perLabel) {
      const { label, ...figures } = l
      expect(figures).toEqual(engine.perLabel[label])
    }
    expect(panel).toMatchObject({
      n: engine.n,
      exactMatch: engine.exactMatch,
      hammingAccuracy: engine.hammingAccuracy,
      microF1: engine.microF1,
      macroF1: engine.macroF1,
      mAP: engine.mAP,
    })
  })
})
