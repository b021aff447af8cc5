// A seeded split of a folder's rows, stratified by label set: every set of labels gets its share of
// train, val and test (as near as whole rows allow), and the totals match the ratio.
import { makeRng } from '../../../src-shared/rng.ts'
import { TagsmithError } from '../errors.ts'
import type { Split } from './types.ts'
import { SPLITS } from './types.ts'

export const DEFAULT_SPLIT_RATIO: [number, number, number] = [0.8, 0.2, 0]
export const DEFAULT_SPLIT_SEED = 42

/** The ratio as three shares adding up to 1, or BAD_INPUT naming it. */
export function checkRatio(ratio: readonly number[]): [number, number, number] {
  const [train = 0, val = 0, test = 0] = ratio
  const shown = ratio.join(',')
  if (ratio.length < 2 || ratio.length > 3 || ratio.some((r) => !Number.isFinite(r) || r < 0 || r > 1)) {
    throw new TagsmithError('BAD_INPUT', `split ratio ${shown}: give two or three shares between 0 and 1 (train,val[,test]), e.g. 0.7,0.15,0.15`)
  }
  const sum = train + val + test
  if (Math.abs(sum - 1) > 0.001) throw new TagsmithError('BAD_INPUT', `split ratio ${shown} adds up to ${Number(sum.toFixed(4))}, not 1`)
  return [train, val, test]
}

/**
 * One split per row. Rows with the same key (their label set) are shuffled with the seed and laid one
 * group after another; each row then goes to the split furthest behind its share so far, so every group
 * is split in the ratio and so are the totals.
 */
export function stratifiedSplit(keys: readonly string[], ratio: readonly [number, number, number], seed: number): Split[] {
  const groups = new Map<string, number[]>()
  keys.forEach((key, i) => {
    const group = groups.get(key)
    if (group) group.push(i)
    else groups.set(key, [i])
  })
  const next = makeRng(seed)
  const order: number[] = []
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key) as number[]
    for (let i = group.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1))
      ;[group[i], group[j]] = [group[j] as number, group[i] as number]
    }
    order.push(...group)
  }
  const counts = [0, 0, 0]
  const splits = new Array<Split>(keys.length)
  order.forEach((row, position) => {
    let best = 0
    let behind = -Infinity
    for (let s = 0; s < 3; s++) {
      const share = ratio[s] as number
      if (share <= 0) continue
      const gap = share * (position + 1) - (counts[s] as number)
      if (gap > behind + 1e-9) [best, behind] = [s, gap]
    }
    counts[best] = (counts[best] as number) + 1
    splits[row] = SPLITS[best] as Split
  })
  return splits
}
