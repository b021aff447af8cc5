import { describe, expect, it } from 'vitest'
import { decide, groupIndices } from '../../../src-main/core/ml/decode.ts'
import { labelMatrix } from '../../../src-main/core/ml/label-matrix.ts'
import { averagePrecision, computeMetrics } from '../../../src-main/core/ml/metrics.ts'
import { tuneThresholds } from '../../../src-main/core/ml/thresholds.ts'

// 4 images x 3 labels (red, blue, dress); red and blue form a group (exactly one colour).
const labels = ['red', 'blue', 'dress']
const truth = labelMatrix(
  [
    [1, 0, 1],
    [0, 1, 0],
    [1, 0, 0],
    [0, 1, 1],
  ],
  3,
)
const probs = Float32Array.from([
  0.9, 0.2, 0.8, // all right
  0.4, 0.45, 0.1, // blue missed at 0.5 (a group picks it: 0.45 > 0.4)
  0.7, 0.6, 0.3, // blue wrongly on (a group drops it)
  0.1, 0.8, 0.4, // dress missed
])

describe('metrics', () => {
  const m = computeMetrics(probs, truth, labels, { groups: groupIndices(labels, [['red', 'blue']]) })

  it('exact-match and hamming accuracy', () => {
    expect(m.n).toBe(4)
    expect(m.exactMatch).toBe(1 / 4)
    // wrong cells: (1, blue), (2, blue), (3, dress) -> 9 of 12 right
    expect(m.hammingAccuracy).toBe(9 / 12)
  })

  it('per-label precision, recall, F1 and AP', () => {
    expect(m.perLabel.red).toMatchObject({ tp: 2, fp: 0, fn: 0, precision: 1, recall: 1, f1: 1, ap: 1 })
    // blue: predicted rows 2 (wrong) and 3 (right); missed row 1
    expect(m.perLabel.blue).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5, f1: 0.5 })
    // blue scores 0.8 (pos), 0.6 (neg), 0.45 (pos), 0.2 (neg): AP = (1/1 + 2/3) / 2
    expect(m.perLabel.blue?.ap).toBeCloseTo((1 + 2 / 3) / 2, 10)
    expect(m.perLabel.dress).toMatchObject({ tp: 1, fp: 0, fn: 1, precision: 1, recall: 0.5 })
    expect(m.perLabel.dress?.f1).toBeCloseTo(2 / 3, 10)
  })

  it('micro and macro F1, mAP', () => {
    // totals: tp 4, fp 1, fn 2 -> micro F1 = 8 / (8 + 3)
    expect(m.microF1).toBeCloseTo(8 / 11, 10)
    expect(m.macroF1).toBeCloseTo((1 + 0.5 + 2 / 3) / 3, 10)
    const apDress = averagePrecision([0.8, 0.1, 0.3, 0.4], [1, 0, 0, 1])
    expect(m.mAP).toBeCloseTo((1 + (1 + 2 / 3) / 2 + apDress) / 3, 10)
  })

  it('group decoding picks exactly one label per group by highest probability', () => {
    expect(Array.from(decide(probs, 4, 3, { groups: [[0, 1]] }))).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0])
    // rows 0, 1 and 2 now right; row 3 still misses dress
    expect(m.exactMatchGrouped).toBe(3 / 4)
  })

  it('ignores empty cells', () => {
    const partial = labelMatrix([[1, null, 1]], 3)
    const r = computeMetrics(Float32Array.from([0.9, 0.9, 0.9]), partial, labels)
    expect(r.exactMatch).toBe(1)
    expect(r.hammingAccuracy).toBe(1)
  })

  it('refuses unknown label names in groups', () => {
    expect(() => groupIndices(labels, [['red', 'green']])).toThrow(/green/)
  })
})

describe('threshold tuning', () => {
  it('picks, per label, a threshold that maximises F1 on the given rows', () => {
    // label 0: positives score 0.3 and 0.35, negatives 0.1 and 0.2 -> any threshold in (0.2, 0.3] gives F1 = 1
    const t = tuneThresholds(Float32Array.from([0.3, 0.35, 0.1, 0.2]), labelMatrix([[1], [1], [0], [0]], 1))
    expect(t[0]).toBeGreaterThan(0.2)
    expect(t[0]).toBeLessThanOrEqual(0.3)
    const tuned = computeMetrics(Float32Array.from([0.3, 0.35, 0.1, 0.2]), labelMatrix([[1], [1], [0], [0]], 1), ['a'], { thresholds: t })
    expect(tuned.perLabel.a?.f1).toBe(1)
  })

  it('keeps the fallback for a label without positives', () => {
    expect(tuneThresholds(Float32Array.from([0.7, 0.2]), labelMatrix([[0], [0]], 1), 0.5)[0]).toBe(0.5)
  })
})
