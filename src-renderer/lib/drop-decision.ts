/** One thing dropped on the window: its name, and whether it is a folder. */
export interface DroppedEntry {
  name: string
  folder: boolean
}

/** A drop as the window sees it: the drag's data types, and the files and folders it carries. */
export interface Drop {
  types: readonly string[]
  entries: readonly DroppedEntry[]
}

/**
 * What the window does with a drop (the browser never navigates to a dropped file either way):
 * 'start' — the start screen takes it (a project file, CSVs, the images folder), as useDropPaths does;
 * 'refuse' — a project is open and cannot take files this way: the message says so;
 * 'ignore' — not files (dragged text or a link): left to whatever it was dropped on.
 */
export type DropAction = { kind: 'start' } | { kind: 'refuse'; message: string } | { kind: 'ignore' }

/** True when a drag carries files (or folders): only those are the window's business. */
export function carriesFiles(types: readonly string[]): boolean {
  return types.includes('Files')
}

export function dropAction(drop: Drop, projectOpen: boolean): DropAction {
  if (!carriesFiles(drop.types)) return { kind: 'ignore' }
  if (!projectOpen) return { kind: 'start' }
  return { kind: 'refuse', message: dropRefusal(drop.entries) }
}

/** Names shown in the message before "…". */
const NAMES_SHOWN = 2

const count = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`

/**
 * The one place that says dropping cannot add images to an open project, naming what was dropped:
 * "Adding images by dropping is not available yet: 3 files (a.jpg, b.png, …)".
 */
export function dropRefusal(entries: readonly DroppedEntry[]): string {
  const folders = entries.filter((e) => e.folder).length
  const files = entries.length - folders
  const what = [folders > 0 ? count(folders, 'folder') : '', files > 0 || folders === 0 ? count(files, 'file') : ''].filter((w) => w !== '')
  const names = entries.slice(0, NAMES_SHOWN).map((e) => (e.folder ? `${e.name}/` : e.name))
  if (entries.length > NAMES_SHOWN) names.push('…')
  const list = names.length > 0 ? ` (${names.join(', ')})` : ''
  return `Adding images by dropping is not available yet: ${what.join(' and ')}${list}`
}
