// A new project from a folder of images, without a CSV: what to take from the folder, its preview and report.
import type { ImportReport, Split } from './dataset.ts'

/**
 * How the rows are split: a seeded split stratified by label sets (ratio train, val, test; the default is
 * 0.8, 0.2, 0 with seed 42), every row in one split, or the top-level train/, val/ and test/ folders.
 */
export type FolderSplit =
  | { kind: 'ratio'; ratio: [number, number, number]; seed?: number }
  | { kind: 'all'; split: Split }
  | { kind: 'folders' }

export interface FolderImportOptions {
  /** The folder; images are found in it and every folder below it. */
  dir: string
  /** Label columns to create (before any taken from folder names). */
  labels?: string[]
  /** Each image's parent folder names its label; other labels' cells are 0. Without it every cell is empty. */
  labelsFromFolders?: boolean
  /** With labelsFromFolders: the folder name holds several labels ('black_dress' with '_'). */
  separator?: string
  split?: FolderSplit
}

/** A file of the folder that is not a row: not an image, unreadable, or a link out of the folder. */
export interface SkippedFile {
  /** Relative to the folder, '/' separators. */
  path: string
  reason: string
}

/** What an import of the folder would create, found without reading any image. */
export interface FolderPreview {
  dir: string
  images: number
  /** In the order the columns would have, with the images that would have each label set to 1. */
  labels: Array<{ name: string; count: number }>
  /** With labels from folders: images directly in the folder (or a split folder), whose cells stay empty. */
  unlabelled: number
  splits: Record<Split, number>
  /** The first few skipped files; skippedCount counts all. */
  skipped: SkippedFile[]
  skippedCount: number
}

export interface FolderImportReport extends ImportReport {
  /** The folder the rows' paths are relative to; the CSVs an export writes go there too. */
  dir: string
  /** The first 1,000 skipped files (empty, truncated or unreadable images among them); skippedCount counts all. */
  skipped: SkippedFile[]
  skippedCount: number
  /** Groups of rows with the same content, each kept as a row (as a CSV import keeps them); the first 1,000 groups, 20 paths each. */
  duplicates: string[][]
  duplicateCount: number
}
