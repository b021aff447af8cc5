import type { EpochStats } from '../../src-preload/contract.ts'

/**
 * The epoch with the lowest validation loss so far (the first of equals), as early stopping keeps it;
 * null while no epoch has a validation loss. Marks the live chart before the run's own answer arrives.
 */
export function lowestValLossEpoch(points: readonly EpochStats[]): number | null {
  let best: EpochStats | null = null
  for (const p of points) {
    if (p.valLoss !== null && (best === null || p.valLoss < (best.valLoss as number))) best = p
  }
  return best?.epoch ?? null
}
