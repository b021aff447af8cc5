// The grid's order: the project's, or by how confident the predictions are.

/** 'least-confident' puts the images whose decisions are closest to flipping first. */
export type GridOrder = 'project' | 'least-confident' | 'most-confident'

/**
 * `ids` sorted by `key` (ascending for least-confident, descending for most-confident). Ids without a key
 * (NaN: no prediction) go last; equal keys keep their order.
 */
export function orderByKey(ids: readonly number[], key: (id: number) => number, order: Exclude<GridOrder, 'project'>): number[] {
  const keys = Float64Array.from(ids, key)
  const sign = order === 'least-confident' ? 1 : -1
  const at = Array.from({ length: ids.length }, (_, i) => i)
  at.sort((a, b) => {
    const ka = keys[a] as number
    const kb = keys[b] as number
    const na = Number.isNaN(ka)
    const nb = Number.isNaN(kb)
    if (na || nb) return na === nb ? a - b : na ? 1 : -1
    return sign * (ka - kb) || a - b
  })
  return at.map((i) => ids[i] as number)
}

/** `ids` in the order they take in `given` (a similar-images view's ranking); ids not in it go last. */
export function orderAsGiven(ids: readonly number[], given: readonly number[]): number[] {
  const rank = new Map(given.map((id, i) => [id, i]))
  const at = (id: number): number => rank.get(id) ?? given.length
  return [...ids].sort((a, b) => at(a) - at(b))
}
