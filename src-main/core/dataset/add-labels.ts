// The labels added images start with: from their folder's name when asked, then the cells given for all.
import type { LabelChange } from './types.ts'

/**
 * A folder name names labels (the whole name, or its parts between `separator`s). An image whose folder
 * names at least one of the project's labels gets 1 for those and 0 for the rest; otherwise its cells stay
 * empty (a folder like `added/` says nothing). `cells` then set (or, with null, empty) a label on every image.
 */
export function addedCellChanges(
  added: ReadonlyArray<{ id: number; rel: string }>,
  labels: readonly string[],
  labelsFromFolders: boolean | string,
  cells: Readonly<Record<string, 0 | 1 | null>>,
): LabelChange[] {
  const changes: LabelChange[] = []
  for (const image of added) {
    const values = new Map<string, 0 | 1>()
    if (labelsFromFolders !== false) {
      const names = folderLabels(image.rel, labelsFromFolders === true ? null : labelsFromFolders)
      if (names.some((n) => labels.includes(n))) for (const label of labels) values.set(label, names.includes(label) ? 1 : 0)
    }
    for (const [label, value] of Object.entries(cells)) {
      if (value === null) values.delete(label)
      else values.set(label, value)
    }
    for (const [label, value] of values) changes.push({ imageId: image.id, label, value })
  }
  return changes
}

/** The label names the image's own folder stands for. */
export function folderLabels(rel: string, separator: string | null): string[] {
  const folder = rel.split('/').slice(0, -1).at(-1)
  if (folder === undefined) return []
  const parts = separator === null ? [folder] : folder.split(separator)
  return [...new Set(parts.filter((p) => p.trim() !== ''))]
}
