// From a folder's image paths to rows: the label columns (given, and taken from folder names), each
// row's cells and its split. Pure: the same paths and options give the same rows.
import type { FolderImportOptions, FolderSplit, SkippedFile } from '../../../src-preload/contract.ts'
import { TagsmithError } from '../errors.ts'
import { checkRatio, DEFAULT_SPLIT_RATIO, DEFAULT_SPLIT_SEED, stratifiedSplit } from './folder-split.ts'
import type { LabelValue, Split } from './types.ts'

export interface FolderRow {
  rel: string
  abs: string
  values: LabelValue[]
  split: Split
}

export interface FolderPlan {
  labels: string[]
  rows: FolderRow[]
  /** Rows with labels from folders whose folder names none (they sit at the top, or in a split folder). */
  unlabelled: number
  /** Images left out by the plan: outside train/, val/ and test/ when the split comes from folders. */
  skipped: SkippedFile[]
}

const SPLIT_FOLDERS: Readonly<Record<string, Split>> = { train: 'train', val: 'val', valid: 'val', validation: 'val', test: 'test' }

/** The settings a folder import stores with the project, so that images added later are read the same way. */
export const FOLDER_ROOT_SETTING = 'folder-root'
export const FOLDER_LABELS_SETTING = 'folder-labels'

export function planFolder(images: ReadonlyArray<{ rel: string; abs: string }>, options: FolderImportOptions): FolderPlan {
  const split: FolderSplit = options.split ?? { kind: 'ratio', ratio: DEFAULT_SPLIT_RATIO }
  if (options.separator !== undefined && !options.labelsFromFolders) {
    throw new TagsmithError('BAD_INPUT', 'a separator splits folder names into labels: take labels from folder names too')
  }
  const given = checkGivenLabels(options.labels ?? [])
  const skipped: SkippedFile[] = []
  const found: Array<{ rel: string; abs: string; split: Split | null; names: string[] | null }> = []
  for (const image of images) {
    const folders = image.rel.split('/').slice(0, -1)
    let fromFolder: Split | null = null
    if (split.kind === 'folders') {
      fromFolder = SPLIT_FOLDERS[(folders[0] ?? '').toLowerCase()] ?? null
      if (fromFolder === null) {
        skipped.push({ path: image.rel, reason: 'not in a top-level train/, val/ or test/ folder' })
        continue
      }
      folders.shift()
    }
    const names = options.labelsFromFolders ? labelsOfFolder(folders.at(-1), options.separator, image.rel) : null
    found.push({ ...image, split: fromFolder, names })
  }

  const fromFolders = new Set<string>()
  for (const f of found) for (const name of f.names ?? []) if (!given.includes(name)) fromFolders.add(name)
  const labels = [...given, ...[...fromFolders].sort()]
  if (labels.length === 0) {
    throw new TagsmithError(
      'BAD_INPUT',
      options.labelsFromFolders
        ? 'no labels: no image sits in a folder below the top one to name its labels; give the labels to create'
        : 'no labels: give the labels to create, or take them from folder names',
    )
  }
  let unlabelled = 0
  const rows = found.map((f): Omit<FolderRow, 'split'> & { split: Split | null } => {
    if (options.labelsFromFolders && f.names !== null && f.names.length === 0) unlabelled++
    const values: LabelValue[] = labels.map((l) => (f.names === null || f.names.length === 0 ? null : f.names.includes(l) ? 1 : 0))
    return { rel: f.rel, abs: f.abs, values, split: f.split }
  })
  const splits = split.kind === 'all'
    ? rows.map(() => split.split)
    : split.kind === 'ratio'
      ? stratifiedSplit(rows.map((r) => r.values.map((v) => (v === null ? '-' : String(v))).join('')), checkRatio(split.ratio), split.seed ?? DEFAULT_SPLIT_SEED)
      : rows.map((r) => r.split as Split)
  return { labels, rows: rows.map((r, i) => ({ ...r, split: splits[i] as Split })), unlabelled, skipped }
}

/** The labels a folder name stands for: the name itself, or its parts between separators. */
function labelsOfFolder(folder: string | undefined, separator: string | undefined, rel: string): string[] {
  if (folder === undefined) return []
  const parts = separator === undefined ? [folder] : folder.split(separator).filter((p) => p.trim() !== '')
  for (const name of parts) checkLabelName(name, `folder ${JSON.stringify(folder)} (of ${rel})`)
  return [...new Set(parts)]
}

function checkGivenLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>()
  for (const name of labels) {
    checkLabelName(name, 'given labels')
    if (seen.has(name)) throw new TagsmithError('BAD_INPUT', `given labels: ${JSON.stringify(name)} is given twice`)
    seen.add(name)
  }
  return [...labels]
}

/** A label becomes a CSV column: not blank, and not the image column's name. */
function checkLabelName(name: string, where: string): void {
  if (name.trim() === '') throw new TagsmithError('BAD_INPUT', `${where}: a label name may not be blank`)
  if (name.trim().toLowerCase() === 'image') {
    throw new TagsmithError('BAD_INPUT', `${where}: a label may not be named ${JSON.stringify(name)}, the name of the image column`)
  }
  if (name.length > 1000) throw new TagsmithError('BAD_INPUT', `${where}: label name longer than 1,000 characters`)
}
