// Adding images to an open project later, and rescanning its folder.
import type { EditResult, Split } from './dataset.ts'

/** An image sent as bytes (web mode has no paths): written under the images folder's added/ and then added. */
export interface AddUpload {
  /** File name; '/' parts keep a dropped folder's layout under added/. */
  name: string
  dataBase64: string
}

export interface AddImagesInput {
  /** Files or folders (searched recursively) inside the images folder, absolute. */
  paths?: string[]
  /** Each at most 40 MB. */
  uploads?: AddUpload[]
  /** The split of the new rows, and of the CSV they go into (default train). */
  split?: Split
  /** A source CSV's file name; default the first CSV of the split (a folder project gets a new <split>.csv). */
  csv?: string
  /** Labels from each image's folder name: true for the whole name, a string to split it into several labels. */
  labelsFromFolders?: boolean | string
  /** Set on every added image; null leaves the cell empty. */
  cells?: Record<string, 0 | 1 | null>
}

/** A file that was not added, and why. */
export interface AddNotice {
  name: string
  reason: string
}

export interface AddImagesAnswer {
  added: Array<{ id: number; rel: string }>
  /** Content already in the project (or twice in this add): `existing` is the path that has it. */
  duplicates: Array<{ name: string; existing: string }>
  /** Not an image, empty, cut off: listed and passed over. */
  skipped: AddNotice[]
  /** Outside the images folder, a link leaving it, not found. */
  refused: AddNotice[]
  /** The one undoable step (structure 'images-add'), null when nothing was added. */
  result: EditResult | null
}

export interface RescanAnswer {
  /** Rows whose file is newly missing. */
  missing: number
  /** Rows whose file was missing and is found again. */
  back: number
  /** Image files under the images folder that no row names (absolute paths), to offer for adding. */
  new: string[]
}
