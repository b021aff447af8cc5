// Maximal cliques of a small undirected graph (vertices are labels, so tens to a few hundred) by
// Bron–Kerbosch with Tomita's pivot. The number of maximal cliques can grow exponentially with the
// vertex count, so the search stops after `limit` cliques or `maxSteps` calls and says it was cut short.

export interface CliqueSearch {
  /** each clique's vertices in increasing order */
  cliques: number[][]
  /** the search stopped at a bound before every maximal clique was found */
  truncated: boolean
}

export interface CliqueBounds {
  /** cliques smaller than this are not listed (they still count as maximal) */
  minSize?: number
  limit?: number
  maxSteps?: number
}

/** `adjacent[v]` holds v's neighbours; the relation must be symmetric and irreflexive. */
export function maximalCliques(adjacent: ReadonlyArray<ReadonlySet<number>>, bounds: CliqueBounds = {}): CliqueSearch {
  const minSize = bounds.minSize ?? 1
  const limit = bounds.limit ?? 10_000
  const maxSteps = bounds.maxSteps ?? 1_000_000
  const cliques: number[][] = []
  let steps = 0
  let truncated = false

  const neighbours = (v: number): ReadonlySet<number> => adjacent[v] ?? new Set<number>()

  const visit = (clique: number[], candidates: number[], excluded: number[]): void => {
    if (truncated) return
    if (++steps > maxSteps || cliques.length >= limit) {
      truncated = true
      return
    }
    if (candidates.length === 0) {
      if (excluded.length === 0 && clique.length >= minSize) cliques.push([...clique].sort((a, b) => a - b))
      return
    }
    // The pivot with the most candidate neighbours leaves the fewest branches to try.
    let pivot = -1
    let most = -1
    for (const u of [...candidates, ...excluded]) {
      const n = neighbours(u)
      let count = 0
      for (const v of candidates) if (n.has(v)) count++
      if (count > most) {
        most = count
        pivot = u
      }
    }
    const skip = neighbours(pivot)
    let rest = candidates
    let done = excluded
    for (const v of candidates) {
      if (skip.has(v)) continue
      const n = neighbours(v)
      visit(
        [...clique, v],
        rest.filter((w) => n.has(w)),
        done.filter((w) => n.has(w)),
      )
      if (truncated) return
      rest = rest.filter((w) => w !== v)
      done = [...done, v]
    }
  }

  visit([], adjacent.map((_, v) => v), [])
  return { cliques, truncated }
}
