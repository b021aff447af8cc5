// Editing the label set: add, rename, remove and move labels. Each is one undoable step of the edit log.

/**
 * One change of the label set. `value` fills every image's cell of an added label (0, or null for empty, the
 * default); `to` is the new name (rename) or the new position, 1 = first (move).
 */
export type LabelSetEdit =
  | { op: 'add'; name: string; value?: 0 | null }
  | { op: 'rename'; name: string; to: string }
  | { op: 'remove'; name: string }
  | { op: 'move'; name: string; to: number }
