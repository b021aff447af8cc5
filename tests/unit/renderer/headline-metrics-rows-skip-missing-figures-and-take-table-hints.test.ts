import { describe, expect, it } from 'vitest'
import { headlineRows } from '../../../src-renderer/lib/headline-metrics.ts'

const FIGURES = { exactMatch: 0.5, hammingAccuracy: 0.9, macroF1: 0.7, microF1: 0.8, mAP: 0.85 }

describe('headline metric rows', () => {
  it('leave out the grouped exact match when it is missing or null, in one order for every table', () => {
    const ids = ['exact', 'hamming', 'macro-f1', 'micro-f1', 'map']
    expect(headlineRows(FIGURES).map((r) => r.id)).toEqual(ids)
    expect(headlineRows({ ...FIGURES, exactMatchGrouped: null }).map((r) => r.id)).toEqual(ids)
    const grouped = headlineRows({ ...FIGURES, exactMatchGrouped: 0.6 })
    expect(grouped.map((r) => [r.id, r.value])).toEqual([
      ['exact', 0.5],
      ['exact-grouped', 0.6],
      ['hamming', 0.9],
      ['macro-f1', 0.7],
      ['micro-f1', 0.8],
      ['map', 0.85],
    ])
  })

  it('take a table’s own hint where it gives one and the general hint elsewhere', () => {
    const rows = headlineRows(FIGURES, { mAP: 'does not depend on thresholds' })
    expect(rows.find((r) => r.id === 'map')?.hint).toBe('does not depend on thresholds')
    expect(rows.find((r) => r.id === 'hamming')?.hint).toBe('label cells right')
  })
})
