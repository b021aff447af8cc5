// Turning probabilities into label decisions: per-label thresholds, and groups of labels where exactly
// one holds (e.g. one colour, one garment) decoded to their most probable member.

export type LabelGroups = ReadonlyArray<ReadonlyArray<number>>

/** Resolve groups given as label names to column indices; unknown names are a BAD_INPUT for the caller. */
export function groupIndices(labels: readonly string[], groups: ReadonlyArray<ReadonlyArray<string>>): number[][] {
  return groups.map((g) =>
    g.map((name) => {
      const i = labels.indexOf(name)
      if (i < 0) throw new Error(`unknown label in group: ${name}`)
      return i
    }),
  )
}

/**
 * Decisions (0/1, rows x cols). Labels outside any group use their threshold (default 0.5);
 * each group sets exactly its argmax to 1.
 */
export function decide(
  probs: Float32Array,
  rows: number,
  cols: number,
  opts: { thresholds?: ArrayLike<number>; groups?: LabelGroups } = {},
): Uint8Array {
  const out = new Uint8Array(rows * cols)
  const t = opts.thresholds
  for (let i = 0; i < rows * cols; i++) {
    const th = t ? (t[i % cols] as number) : 0.5
    out[i] = (probs[i] as number) >= th ? 1 : 0
  }
  for (const group of opts.groups ?? []) {
    if (group.length === 0) continue
    for (let r = 0; r < rows; r++) {
      let best = group[0] as number
      for (const j of group) if ((probs[r * cols + j] as number) > (probs[r * cols + best] as number)) best = j
      for (const j of group) out[r * cols + j] = j === best ? 1 : 0
    }
  }
  return out
}
