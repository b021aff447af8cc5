import { describe, expect, it } from 'vitest'
import { buildTruth, groupColumns, patchTruth, toMatrix } from '../../../src-renderer/lib/prediction-data.ts'
import {
  averagePrecisions,
  CONFIDENT_WRONG,
  DISAGREES,
  errorImages,
  evaluate,
  EXTRA,
  MISSING,
  prAt,
  prCurve,
  rankRows,
  SOURCES,
  summarise,
  UNCERTAIN,
} from '../../../src-renderer/lib/prediction-metrics.ts'
import type { ImageRow, LabelValue, Predictions } from '../../../src-preload/contract.ts'

// Three labels, a and b one-of (a group), c on its own. Four validation images and one out-of-fold
// training image; image 4's c is an empty cell. Every figure below was worked out by hand.
const LABELS = ['a', 'b', 'c']
const PROBS = [
  [0.9, 0.2, 0.7], // truth 1 0 1
  [0.62, 0.7, 0.1], // truth 0 1 0
  [0.4, 0.45, 0.55], // truth 1 0 0
  [0.3, 0.05, 0.95], // truth 0 1 -
  [0.8, 0.1, 0.2], // truth 1 0 0 (oof)
]
const TRUTH: LabelValue[][] = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 0],
  [0, 1, null],
  [1, 0, 0],
]
const PREDICTIONS: Predictions = {
  runId: 3,
  labels: LABELS,
  imageIds: [11, 12, 13, 14, 15],
  probs: PROBS.flat(),
  source: ['val', 'val', 'val', 'val', 'oof'],
  thresholds: [0.5, 0.5, 0.5],
  tuned: null,
  groups: [['a', 'b']],
}
const VAL = SOURCES.indexOf('val')

function rows(): ImageRow[] {
  return TRUTH.map((labels, i) => ({
    id: 11 + i,
    path: `${i}.jpg`,
    source: 'train.csv',
    split: 'val',
    status: 'ok',
    labels,
    edited: false,
    hash8: null,
  }))
}

function setup() {
  const m = toMatrix(PREDICTIONS)
  const byId = new Map(rows().map((r) => [r.id, r]))
  const truth = buildTruth(m, LABELS, (id) => byId.get(id))
  const groups = groupColumns(LABELS, PREDICTIONS.groups)
  return { m, truth, groups }
}

describe('prediction metrics on a hand-made case', () => {
  it('counts per label, precision, recall, F1, AP, micro/macro and hamming with thresholds at 0.5', () => {
    const { m, truth, groups } = setup()
    const ev = evaluate(m, truth, [0.5, 0.5, 0.5], groups, { decodeGroups: false, split: VAL })
    const ap = averagePrecisions(m, truth, rankRows(m, VAL))
    const s = summarise(LABELS, ev.split, ap, true)
    expect(s.n).toBe(4)
    expect(s.perLabel.map((l) => [l.tp, l.fp, l.fn])).toEqual([
      [1, 1, 1],
      [1, 0, 1],
      [1, 1, 0],
    ])
    const [a, b, c] = s.perLabel
    expect([a?.precision, a?.recall, a?.f1]).toEqual([0.5, 0.5, 0.5])
    expect(b?.precision).toBe(1)
    expect(b?.recall).toBe(0.5)
    expect(b?.f1).toBeCloseTo(2 / 3, 12)
    expect(c?.precision).toBe(0.5)
    expect(c?.recall).toBe(1)
    expect(c?.f1).toBeCloseTo(2 / 3, 12)
    // a: positives at ranks 1 and 3; b: ranks 1 and 4; c: the empty cell ranked first is left out.
    expect(a?.ap).toBeCloseTo((1 + 2 / 3) / 2, 12)
    expect(b?.ap).toBeCloseTo((1 + 2 / 4) / 2, 12)
    expect(c?.ap).toBe(1)
    expect(s.mAP).toBeCloseTo(((1 + 2 / 3) / 2 + 0.75 + 1) / 3, 12)
    expect(s.microF1).toBeCloseTo(6 / 10, 12)
    expect(s.macroF1).toBeCloseTo((0.5 + 2 / 3 + 2 / 3) / 3, 12)
    expect(s.hammingAccuracy).toBeCloseTo(7 / 11, 12)
    expect([s.fp, s.fn]).toEqual([2, 2])
    expect(a?.support).toBe(2)
  })

  it('gives exact match with thresholds and with each group decided by its most probable label', () => {
    const { m, truth, groups } = setup()
    const ev = evaluate(m, truth, [0.5, 0.5, 0.5], groups, { decodeGroups: false, split: VAL })
    const s = summarise(LABELS, ev.split, new Float64Array(3), true)
    expect(s.exactMatch).toBe(0.25)
    expect(s.exactMatchGrouped).toBe(0.5)
    expect(summarise(LABELS, ev.split, new Float64Array(3), false).exactMatchGrouped).toBeNull()
    // The figures do not depend on which decoding the grid shows.
    const grouped = evaluate(m, truth, [0.5, 0.5, 0.5], groups, { decodeGroups: true, split: VAL })
    const g = summarise(LABELS, grouped.split, new Float64Array(3), true)
    expect([g.exactMatch, g.exactMatchGrouped]).toEqual([0.25, 0.5])
  })

  it('decodes a group by its argmax: exactly one label of the group on, whatever the thresholds', () => {
    const { m, truth, groups } = setup()
    const ev = evaluate(m, truth, [0.99, 0.99, 0.5], groups, { decodeGroups: true, split: VAL })
    const ab = (r: number): number[] => [ev.decisions[r * 3] ?? -1, ev.decisions[r * 3 + 1] ?? -1]
    expect([0, 1, 2, 3, 4].map(ab)).toEqual([
      [1, 0],
      [0, 1],
      [0, 1],
      [1, 0],
      [1, 0],
    ])
    // Per-label counts follow the decisions shown.
    expect(Array.from(ev.split.fp)).toEqual([1, 1, 1])
    expect(Array.from(ev.split.fn)).toEqual([1, 1, 0])
  })

  it('marks each cell agree / missing / extra and each image disagrees, uncertain, confident-wrong', () => {
    const { m, truth, groups } = setup()
    const ev = evaluate(m, truth, [0.5, 0.5, 0.5], groups, { decodeGroups: false, split: VAL })
    const st = (r: number): number[] => Array.from(ev.status.subarray(r * 3, r * 3 + 3))
    expect(st(0)).toEqual([0, 0, 0])
    expect(st(1)).toEqual([MISSING, 0, 0])
    expect(st(2)).toEqual([EXTRA, 0, MISSING])
    // The empty cell predicted 1 counts as missing: the label is not set.
    expect(st(3)).toEqual([0, EXTRA, MISSING])
    expect([ev.missing, ev.extra]).toEqual([3, 2])
    expect(Array.from(ev.flags)).toEqual([0, DISAGREES, DISAGREES | UNCERTAIN, DISAGREES | CONFIDENT_WRONG, 0])
    expect([ev.disagreeing, ev.uncertain, ev.confidentWrong]).toEqual([3, 1, 1])
    // Margins: the closest decision to its threshold.
    expect(ev.margin[0]).toBeCloseTo(0.2, 6)
    expect(ev.margin[2]).toBeCloseTo(0.05, 6)
  })

  it('lists exactly the images a false-positive or false-negative count counts', () => {
    const { m, truth, groups } = setup()
    const ev = evaluate(m, truth, [0.5, 0.5, 0.5], groups, { decodeGroups: false, split: VAL })
    expect(errorImages(m, truth, ev, VAL, 0, 'fp')).toEqual([12])
    expect(errorImages(m, truth, ev, VAL, 0, 'fn')).toEqual([13])
    expect(errorImages(m, truth, ev, VAL, 1, 'fn')).toEqual([14])
    expect(errorImages(m, truth, ev, VAL, 2, 'fn')).toEqual([])
    // The out-of-fold image is another split.
    expect(errorImages(m, truth, ev, SOURCES.indexOf('oof'), 0, 'fp')).toEqual([])
  })

  it('draws a PR curve per label with the point at a threshold on it', () => {
    const { m, truth } = setup()
    const order = rankRows(m, VAL)[0] ?? new Int32Array(0)
    const curve = prCurve(m, truth, order, 0)
    expect(curve.map((p) => [p.precision, p.recall])).toEqual([
      [1, 0.5],
      [0.5, 0.5],
      [2 / 3, 1],
      [0.5, 1],
    ])
    expect(prAt(m, truth, order, 0, 0.5)).toMatchObject({ precision: 0.5, recall: 0.5 })
    expect(prAt(m, truth, order, 0, 0.35)).toMatchObject({ precision: 2 / 3, recall: 1 })
  })

  it('patching the labels of edited images gives what reading every row gives', () => {
    const { m, truth } = setup()
    const edited = rows().map((r) => (r.id === 12 ? { ...r, labels: [1, null, 1] as LabelValue[] } : r))
    const byId = new Map(edited.map((r) => [r.id, r]))
    const patched = patchTruth(truth, m, LABELS, [byId.get(12) as ImageRow], (id) => id - 11)
    expect(Array.from(patched)).toEqual(Array.from(buildTruth(m, LABELS, (id) => byId.get(id))))
    expect(Array.from(patched.subarray(3, 6))).toEqual([1, -1, 1])
    // The previous labels are left as they were.
    expect(Array.from(truth.subarray(3, 6))).toEqual([0, 1, 0])
  })

  it('refuses an answer whose probabilities do not fit its images and labels', () => {
    expect(() => toMatrix({ ...PREDICTIONS, probs: [0.1] })).toThrow(/1 probabilities for 5 images x 3 labels/)
  })
})
