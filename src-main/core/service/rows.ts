// Shapes the project's records into the contract's wire shapes.
import type { EditResult, ImageRow } from '../../../src-preload/contract.ts'
import type { EditGroup, ImageRecord } from '../dataset/types.ts'

export function toImageRow(record: ImageRecord): ImageRow {
  return {
    id: record.id,
    path: record.path,
    source: record.source,
    split: record.split,
    status: record.status,
    labels: record.labels,
    edited: record.edited,
    hash8: record.hash === null ? null : record.hash.slice(0, 8),
  }
}

/** The edit plus the rows it touched, as they are after the commit. */
export function toEditResult(
  group: EditGroup,
  rowsOf: (ids: number[]) => ImageRecord[],
  undoState: Pick<EditResult, 'canUndo' | 'canRedo'>,
): EditResult {
  const ids = [...new Set(group.changes.map((change) => change.imageId))]
  const structure = group.structure === undefined ? {} : { structure: group.structure }
  return { group: group.group, changes: group.changes, rows: rowsOf(ids).map(toImageRow), ...undoState, ...structure }
}
