// The project's records. Shapes that also cross to the UI are the contract's own, re-exported here.
import type { EditResult, ImageStatus, LabelValue, Split } from '../../../src-preload/contract.ts'

export type { ChangeSummary, FlaggedRow, ImageStatus, ImportReport, LabelChange, LabelValue, Split } from '../../../src-preload/contract.ts'

export const SPLITS: readonly Split[] = ['train', 'val', 'test']

export interface ImageRecord {
  id: number
  /** Exactly as written in the CSV. */
  path: string
  /** CSV file name. */
  source: string
  /** 1-based line in the source CSV. */
  line: number
  split: Split
  status: ImageStatus
  /** sha256 hex of the file content, when readable. */
  hash: string | null
  bytes: number | null
  /** In label order; null = empty cell. */
  labels: LabelValue[]
  /** Some label differs from the imported value. */
  edited: boolean
}

/** One committed group of label edits, as the edit log records it: the contract's group and changes, and when. */
export interface EditGroup extends Pick<EditResult, 'group' | 'changes' | 'structure'> {
  at: string
}

export interface DatasetStats {
  labels: string[]
  perSplit: Record<Split, { images: number; counts: Record<string, number> }>
  /** cooccurrence[i][j] = images where labels i and j are both 1; the diagonal counts label i. */
  cooccurrence: number[][]
}
