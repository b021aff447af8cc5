// A label's name in every place that names it: the labels table, the declared groups ('groups' setting) and
// the runs that know the label (runs.labels and runs.groups). Runs match their labels to the project's by
// name (thresholds by position in the run's own list), so renaming them keeps a run's thresholds, groups and
// predictions on the same label; a run that never knew the label, or already knows a label of the new name,
// is left alone. Undo renames back the same places, and only the runs renamed.
import type { Database } from '../db/open.ts'
import { readSetting, writeSetting } from './label-store.ts'

const GROUPS = 'groups'

const renamed = (names: readonly string[], from: string, to: string): string[] => names.map((n) => (n === from ? to : n))

export interface RenamedRuns {
  /** runs renamed by the step */
  ids: number[]
  /** the highest run id when it was taken: runs trained later that know the label are renamed too */
  last: number
}

/**
 * Renames a label everywhere. Without `runs`, every run that knows `from` and not `to` follows; with the
 * runs a rename recorded (its undo or redo), those do, and runs trained since that know the label by `from`.
 */
export function renameEverywhere(db: Database, labelId: number, from: string, to: string, runs?: RenamedRuns): RenamedRuns {
  db.prepare('UPDATE labels SET name = ? WHERE id = ?').run(to, labelId)
  const groups = readSetting(db, GROUPS)
  if (groups !== null) writeSetting(db, GROUPS, JSON.stringify((JSON.parse(groups) as string[][]).map((g) => renamed(g, from, to))))
  const rows = db.prepare('SELECT id, labels, groups FROM runs ORDER BY id').all() as Array<{ id: number; labels: string; groups: string | null }>
  const update = db.prepare('UPDATE runs SET labels = ?, groups = ? WHERE id = ?')
  const done: number[] = []
  for (const run of rows) {
    const labels = JSON.parse(run.labels) as string[]
    const knows = labels.includes(from) && !labels.includes(to)
    const chosen = runs === undefined ? knows : runs.ids.includes(run.id) || (run.id > runs.last && knows)
    if (!chosen) continue
    const runGroups = run.groups === null ? null : JSON.stringify((JSON.parse(run.groups) as string[][]).map((g) => renamed(g, from, to)))
    update.run(JSON.stringify(renamed(labels, from, to)), runGroups, run.id)
    done.push(run.id)
  }
  return { ids: done, last: Math.max(runs?.last ?? 0, ...rows.map((r) => r.id)) }
}
