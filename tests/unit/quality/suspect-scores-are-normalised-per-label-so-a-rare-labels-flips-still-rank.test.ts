import { describe, expect, it } from 'vitest'
import { DEFAULT_METHOD, logit, rankImages, suspectPairs, type PairMatrix } from '../../../src-main/core/quality/scoring.ts'

// Two labels on hand-made numbers. A: common and well learned (positives at 0.97, negatives at 0.02),
// with three plain model mistakes (stored 0 at 0.7). B: rare and weakly learned (its five positives sit
// at 0.3; threshold tuned to 0.2), negatives at 0.05, and one flipped cell: a B image stored as 0 at 0.4.
function matrix(): { m: PairMatrix; flipRow: number; mistakeRows: number[] } {
  const rows: Array<[number, number, number, number]> = [] // [pA, yA, pB, yB]
  for (let i = 0; i < 50; i++) rows.push([0.97, 1, 0.05, 0])
  for (let i = 0; i < 45; i++) rows.push([0.02, 0, 0.05, 0])
  for (let i = 0; i < 5; i++) rows.push([0.02, 0, 0.3, 1])
  const mistakeRows = [100, 101, 102]
  for (let i = 0; i < 3; i++) rows.push([0.7, 0, 0.05, 0])
  const flipRow = rows.length
  rows.push([0.02, 0, 0.4, 0])
  const probs = new Float32Array(rows.length * 2)
  const stored = new Int8Array(rows.length * 2)
  rows.forEach(([pA, yA, pB, yB], i) => {
    probs.set([pA, pB], 2 * i)
    stored.set([yA, yB], 2 * i)
  })
  return { m: { rows: rows.length, labels: 2, probs, stored, thresholds: [0.5, 0.2] }, flipRow, mistakeRows }
}

describe('label-error scores', () => {
  it('finds a suspect only where the decision at the run threshold contradicts the stored value', () => {
    const { m, flipRow, mistakeRows } = matrix()
    const pairs = suspectPairs(m)
    expect(pairs.map((p) => `${p.row}:${p.label}`).sort()).toEqual([...mistakeRows.map((r) => `${r}:0`), `${flipRow}:1`].sort())
    for (const p of pairs) expect(p.score).toBeGreaterThan(0)
  })

  it('ranks a rare label’s flip above an easy label’s ordinary mistakes, which unnormalised scores do not', () => {
    const { m, flipRow } = matrix()
    expect(rankImages(suspectPairs(m, DEFAULT_METHOD))[0]?.row).toBe(flipRow)
    expect(rankImages(suspectPairs(m, 'raw'))[0]?.row).not.toBe(flipRow)
  })

  it('gives agreement no suspect, and never scores an empty cell', () => {
    const m: PairMatrix = {
      rows: 3,
      labels: 2,
      probs: Float32Array.from([0.9, 0.1, 0.2, 0.8, 0.99, 0.01]),
      stored: Int8Array.from([1, 0, 0, 1, -1, -1]),
      thresholds: [0.5, 0.5],
    }
    expect(suspectPairs(m)).toEqual([])
  })

  it('uses the run’s thresholds: the same probability is a suspect under one threshold and not another', () => {
    const base = { rows: 2, labels: 1, probs: Float32Array.from([0.4, 0.9]), stored: Int8Array.from([1, 1]) }
    expect(suspectPairs({ ...base, thresholds: [0.5] }).map((p) => p.row)).toEqual([0])
    expect(suspectPairs({ ...base, thresholds: [0.3] })).toEqual([])
  })

  it('ranks images by their worst pair and lists the others after it', () => {
    const m: PairMatrix = {
      rows: 3,
      labels: 3,
      // row 0: two mild disagreements; row 1: one strong; row 2: agreement everywhere
      probs: Float32Array.from([0.6, 0.4, 0.1, 0.02, 0.1, 0.9, 0.9, 0.1, 0.1]),
      stored: Int8Array.from([0, 1, 0, 1, 0, 1, 1, 0, 0]),
      thresholds: [0.5, 0.5, 0.5],
    }
    const ranked = rankImages(suspectPairs(m))
    expect(ranked.map((r) => r.row)).toEqual([1, 0])
    expect(ranked[1]?.others).toHaveLength(1)
    expect(ranked[1]?.worst.score).toBeGreaterThanOrEqual(ranked[1]?.others[0]?.score ?? Infinity)
  })

  it('computes logits symmetrically and finitely at 0 and 1', () => {
    expect(logit(0.5)).toBe(0)
    expect(logit(0.8)).toBeCloseTo(-logit(0.2), 12)
    expect(Number.isFinite(logit(0))).toBe(true)
    expect(Number.isFinite(logit(1))).toBe(true)
  })
})
