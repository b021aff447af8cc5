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

/** A group's name as the project stores it ('' or absent: none). */
export function groupName(names: readonly string[] | undefined, n: number): string {
  return (names?.[n] ?? '').trim()
}

/** How a group is shown: its name, or its labels when it has none (as groups from older projects). */
export function groupTitle(group: readonly string[], name: string): string {
  return name !== '' ? name : group.join(' · ')
}

/** The declared group with exactly these labels (in any order), or -1. */
export function findGroup(groups: readonly (readonly string[])[], labels: readonly string[]): number {
  return groups.findIndex((g) => g.length === labels.length && g.every((l) => labels.includes(l)))
}
