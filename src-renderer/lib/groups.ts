import type { ImageRow, LabelChange } from '../../src-preload/contract.ts'

/** The other labels that share a group with `label`. */
export function siblingsOf(label: string, groups: readonly string[][]): string[] {
  const out: string[] = []
  for (const g of groups) if (g.includes(label)) for (const l of g) if (l !== label && !out.includes(l)) out.push(l)
  return out
}

/**
 * The changes that set `label` to `value` on each row; turning a label on also clears the labels that share
 * a group with it. Cells that already hold the wanted value are left out.
 */
export function changesFor(
  rows: readonly ImageRow[],
  labels: readonly string[],
  groups: readonly string[][],
  label: string,
  value: 0 | 1,
): LabelChange[] {
  const at = labels.indexOf(label)
  if (at < 0) return []
  const siblings =
    value === 1 ? siblingsOf(label, groups).map((l) => [l, labels.indexOf(l)] as const).filter(([, i]) => i >= 0) : []
  const changes: LabelChange[] = []
  for (const row of rows) {
    if (row.labels[at] !== value) changes.push({ imageId: row.id, label, value })
    for (const [name, i] of siblings) if (row.labels[i] === 1) changes.push({ imageId: row.id, label: name, value: 0 })
  }
  return changes
}
