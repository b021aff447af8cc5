import { describe, expect, it } from 'vitest'
import { lowestValLossEpoch } from '../../../src-renderer/lib/best-epoch.ts'

const at = (epoch: number, valLoss: number | null) => ({ epoch, loss: 1, valLoss, valExactMatch: null, seconds: 0 })

describe('the best epoch the live chart marks', () => {
  it('is the first epoch with the lowest validation loss, as early stopping keeps it', () => {
    expect(lowestValLossEpoch([at(1, 0.9), at(2, 0.5), at(3, 0.7), at(4, 0.5)])).toBe(2)
  })

  it('is none without validation losses', () => {
    expect(lowestValLossEpoch([])).toBeNull()
    expect(lowestValLossEpoch([at(1, null), at(2, null)])).toBeNull()
    expect(lowestValLossEpoch([at(1, null), at(2, 0.4)])).toBe(2)
  })
})
