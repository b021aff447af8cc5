import { describe, expect, it } from 'vitest'
import { labelMatrix } from '../../../src-main/core/ml/label-matrix.ts'
import { computeMetrics } from '../../../src-main/core/ml/metrics.ts'
import { tuneForPrecision, tuneThresholds } from '../../../src-main/core/ml/thresholds.ts'

// Columns: a, b, c, d. Rows are validation images, worked by hand:
// a: scores 0.9+ 0.8- 0.7+ 0.6+ 0.3- 0.2-, plus an empty cell scoring 0.95 (ignored).
//    top-k F1 = .5 .4 .667 .857 .75 .667 -> best at k=4, threshold (0.6 + 0.3) / 2 = 0.45
//    top-k precision = 1 .5 .667 .75 .6 .5
// b: scores 0.9- 0.5+ 0.4- (top-k precision 0 .5 .333): 0.9 is out of reach, 0.5 at k=2 is the best
// c: scores 0.7+ 0.7- 0.2- : tied scores fall on the same side; best F1 .667 cutting below both
// d: no positive: keeps its fallback
const probs = Float32Array.from(
  [
    [0.9, 0.9, 0.7, 0.1],
    [0.8, 0.5, 0.7, 0.1],
    [0.7, 0.4, 0.2, 0.1],
    [0.6, 0.0, 0.0, 0.1],
    [0.3, 0.0, 0.0, 0.1],
    [0.2, 0.0, 0.0, 0.1],
    [0.95, 0.0, 0.0, 0.1],
  ].flat(),
)
const truth = labelMatrix(
  [
    [1, 0, 1, 0],
    [0, 1, 0, 0],
    [1, 0, 0, 0],
    [1, null, null, 0],
    [0, null, null, 0],
    [0, null, null, 0],
    [null, null, null, 0],
  ],
  4,
)
const fallback = [0.5, 0.5, 0.5, 0.3]

describe('threshold tuning', () => {
  it('maximises F1 per label, keeping ties together and the fallback of a label without positives', () => {
    const t = Array.from(tuneThresholds(probs, truth, fallback))
    expect(t[0]).toBeCloseTo(0.45, 6)
    expect(t[1]).toBeCloseTo(0.45, 6) // predicting 0.9 and 0.5: F1 .667, the best of .0 .667 .5
    expect(t[2]).toBeCloseTo(0.45, 6)
    expect(t[3]).toBe(0.3)
    const m = computeMetrics(probs, truth, ['a', 'b', 'c', 'd'], { thresholds: t })
    expect(m.perLabel.a?.f1).toBeCloseTo(6 / 7, 10)
    expect(m.perLabel.c).toMatchObject({ tp: 1, fp: 1, fn: 0 })
  })

  it('reaches a precision with the most recall, or the best precision a label can reach', () => {
    const at75 = Array.from(tuneForPrecision(probs, truth, 0.75, fallback))
    expect(at75[0]).toBeCloseTo(0.45, 6) // k=4: precision .75, recall 1
    expect(at75[1]).toBeCloseTo(0.45, 6) // .75 unreachable: best precision .5 at k=2
    expect(at75[3]).toBe(0.3)
    const at90 = Array.from(tuneForPrecision(probs, truth, 0.9, fallback))
    expect(at90[0]).toBeCloseTo(0.85, 6) // only the top row: precision 1
    const m = computeMetrics(probs, truth, ['a', 'b', 'c', 'd'], { thresholds: at90 })
    expect(m.perLabel.a).toMatchObject({ precision: 1, tp: 1, fp: 0 })
  })

  it('puts a midpoint strictly between two float32 scores that differ in their last bit', () => {
    const lo = Math.fround(0.5)
    const hi = Float32Array.from([lo])
    new Uint32Array(hi.buffer)[0] = (new Uint32Array(hi.buffer)[0] as number) + 1
    const p = Float32Array.from([hi[0] as number, lo])
    const t = tuneThresholds(p, labelMatrix([[1], [0]], 1))[0] as number
    expect(t).toBeGreaterThan(lo)
    expect(t).toBeLessThan(hi[0] as number)
  })
})
