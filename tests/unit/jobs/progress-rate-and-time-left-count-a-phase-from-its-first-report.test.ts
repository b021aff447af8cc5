import { describe, expect, it } from 'vitest'
import { ProgressMeter } from '../../../src-main/core/jobs/progress-meter.ts'

describe('progress meter', () => {
  it('counts a phase from its first report, so what was done before (cached features) is no part of the rate', () => {
    const meter = new ProgressMeter()
    expect(meter.measure({ phase: 'extract', done: 900, total: 1000 }, 0)).toEqual({ rate: 0, etaSeconds: null })
    // 50 more in 2 s: 25 a second, 50 left.
    expect(meter.measure({ phase: 'extract', done: 950, total: 1000 }, 2000)).toEqual({ rate: 25, etaSeconds: 2 })
    expect(meter.measure({ phase: 'extract', done: 1000, total: 1000 }, 4000)).toEqual({ rate: 25, etaSeconds: 0 })
  })

  it('starts again with each phase', () => {
    const meter = new ProgressMeter()
    meter.measure({ phase: 'extract', done: 0, total: 10 }, 0)
    meter.measure({ phase: 'extract', done: 10, total: 10 }, 1000)
    expect(meter.measure({ phase: 'train', done: 1, total: 5 }, 1500)).toEqual({ rate: 0, etaSeconds: null })
    expect(meter.measure({ phase: 'train', done: 3, total: 5 }, 2500)).toEqual({ rate: 2, etaSeconds: 1 })
  })

  it('says nothing is left of a finished phase and nothing about a phase without a total', () => {
    expect(new ProgressMeter().measure({ phase: 'extract', done: 64, total: 64 }, 0)).toEqual({ rate: 0, etaSeconds: 0 })
    expect(new ProgressMeter().measure({ phase: 'starting', done: 0, total: 0 }, 0)).toEqual({ rate: 0, etaSeconds: null })
  })
})
