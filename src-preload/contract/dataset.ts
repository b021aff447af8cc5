// Projects, their rows and labels, edits, imports and exports.

export type Split = 'train' | 'val' | 'test'
export type ImageStatus = 'ok' | 'missing' | 'corrupt' | 'outside'
export type LabelValue = 0 | 1 | null

/** One grid row. `labels` holds one value per label, in the project's label order. */
export interface ImageRow {
  id: number
  path: string
  source: string
  split: Split
  status: ImageStatus
  labels: LabelValue[]
  edited: boolean
  /** The first 8 hex digits of the image file's content hash as imported (null if unreadable): thumbnail
   *  URLs carry it, so a browser may keep them cached for good. */
  hash8: string | null
}

export interface ProjectInfo {
  file: string
  imagesDir: string
  labels: string[]
  /** Groups of labels in which exactly one label holds (e.g. colours, garments). */
  groups: string[][]
  /** Each group's name, by position ('' for none); absent in answers from before groups had names. */
  groupNames?: string[]
  sources: string[]
  imageCount: number
}

/** Labels of which exactly one is set on (almost) every image that has all of their cells filled. */
export interface GroupSuggestion {
  /** in the project's label order */
  labels: string[]
  /** images with every cell of the group filled */
  support: number
  /** of those, images where not exactly one of the labels is 1 */
  violations: number
}

export interface GroupSuggestions {
  /** most supported first; none overlaps a declared group */
  suggestions: GroupSuggestion[]
  /** the share of a suggestion's supporting images allowed to break it (label errors happen) */
  tolerance: number
  /** the fewest supporting images a suggestion needs */
  minSupport: number
}

export interface FlaggedRow {
  source: string
  line: number
  path: string
  status: ImageStatus
  reason: string
}

export interface ImportReport {
  project: string
  rows: number
  labels: string[]
  splits: Record<Split, number>
  missing: number
  corrupt: number
  outside: number
  flagged: FlaggedRow[]
}

export interface LabelChange {
  imageId: number
  label: string
  value: 0 | 1
}

export interface EditResult {
  group: number
  changes: Array<{ imageId: number; label: string; old: LabelValue; new: LabelValue }>
  /** The rows as they are after the edit was committed. */
  rows: ImageRow[]
  /** Whether undo and redo have a step to take after this edit. */
  canUndo: boolean
  canRedo: boolean
  /**
   * Set when the step changed the dataset's shape (its kind, e.g. a label added or images added): the label
   * set or the rows changed beyond `rows`, so views reload the project.
   */
  structure?: string
}

export interface ChangeSummary {
  cells: number
  images: number
  byLabel: Record<string, { set: number; cleared: number }>
}

export interface RecentProject {
  file: string
  openedAt: string
}
