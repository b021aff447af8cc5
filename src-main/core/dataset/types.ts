export type Split = 'train' | 'val' | 'test'
export type ImageStatus = 'ok' | 'missing' | 'corrupt' | 'outside'

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
  labels: Array<0 | 1 | null>
  /** Some label differs from the imported value. */
  edited: boolean
}

export interface FlaggedImage {
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
  flagged: FlaggedImage[]
}

export interface LabelChange {
  imageId: number
  label: string
  value: 0 | 1
}

export interface EditGroup {
  group: number
  at: string
  changes: Array<{ imageId: number; label: string; old: 0 | 1 | null; new: 0 | 1 | null }>
}

export interface ChangeSummary {
  cells: number
  images: number
  byLabel: Record<string, { set: number; cleared: number }>
}

export interface DatasetStats {
  labels: string[]
  perSplit: Record<Split, { images: number; counts: Record<string, number> }>
  /** cooccurrence[i][j] = images where labels i and j are both 1; the diagonal counts label i. */
  cooccurrence: number[][]
}
