// The "New from folder…" form as a request: what the user typed, checked where the service could only
// say it less plainly (shares that do not add up, a blank separator).
import type { FolderImportOptions, Split } from '../../src-preload/contract.ts'

export type FolderSplitChoice = 'ratio' | 'all' | 'folders'

export interface FolderForm {
  dir: string
  /** Comma-separated label names to create. */
  labelsText: string
  labelsFromFolders: boolean
  /** '' for none: the folder's whole name is one label. */
  separator: string
  split: FolderSplitChoice
  /** Percent of the rows for train, val and test. */
  percents: [number, number, number]
  seed: number
  allSplit: Split
}

export const DEFAULT_FOLDER_FORM: Readonly<FolderForm> = {
  dir: '',
  labelsText: '',
  labelsFromFolders: true,
  separator: '',
  split: 'ratio',
  percents: [80, 20, 0],
  seed: 42,
  allSplit: 'train',
}

/** The request the form stands for (plain data, never the form's reactive arrays), or what is wrong with it. */
export function folderRequest(form: FolderForm): { options: FolderImportOptions } | { problem: string } {
  const dir = form.dir.trim()
  if (dir === '') return { problem: 'Type the path of the folder.' }
  const options: FolderImportOptions = { dir }
  const labels = form.labelsText.split(',').map((l) => l.trim()).filter((l) => l !== '')
  if (labels.length > 0) options.labels = labels
  if (form.labelsFromFolders) {
    options.labelsFromFolders = true
    if (form.separator !== '') options.separator = form.separator
  } else if (labels.length === 0) {
    return { problem: 'Name the labels to create, or take them from folder names.' }
  }
  if (form.split === 'folders') options.split = { kind: 'folders' }
  else if (form.split === 'all') options.split = { kind: 'all', split: form.allSplit }
  else {
    const [train, val, test] = form.percents.map((p) => (Number.isFinite(p) ? p : Number.NaN))
    const sum = (train ?? 0) + (val ?? 0) + (test ?? 0)
    if (![train, val, test].every((p) => p !== undefined && p >= 0 && p <= 100)) return { problem: 'Each split share is a percent from 0 to 100.' }
    if (Math.abs(sum - 100) > 0.01) return { problem: `The split shares add up to ${Number(sum.toFixed(2))} %, not 100 %.` }
    if (!Number.isInteger(form.seed) || form.seed < 0) return { problem: 'The seed is a whole number, 0 or more.' }
    options.split = { kind: 'ratio', ratio: [(train ?? 0) / 100, (val ?? 0) / 100, (test ?? 0) / 100], seed: form.seed }
  }
  return { options }
}
