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
 * 'add' — a project is open: the dropped files and folders are offered in the Add images dialog;
 * 'ignore' — not files (dragged text or a link): left to whatever it was dropped on.
 */
export type DropAction = { kind: 'start' } | { kind: 'add' } | { kind: 'ignore' }

/** True when a drag carries files (or folders): only those are the window's business. */
export function carriesFiles(types: readonly string[]): boolean {
  return types.includes('Files')
}

export function dropAction(drop: Drop, projectOpen: boolean): DropAction {
  if (!carriesFiles(drop.types)) return { kind: 'ignore' }
  return projectOpen ? { kind: 'add' } : { kind: 'start' }
}
