// Taking a label out of a project and putting it back exactly: its row, every cell (value, imported value,
// span in the record as read), its lines of the edit log and its reviews, the sources' layouts and the
// declared groups. Deleting the label row cascades to the cells, the log and the reviews, so all of them are
// kept in the step's detail first. Used by removing a label and by undoing an added one.
import type { Database } from '../db/open.ts'
import { entriesOf, entryOfLabel, layoutsOf, normalised, readSourceColumns, writeLayouts, type Layouts } from './csv-layout.ts'

/** The settings that name labels ('groups', beside it 'group-names'; see ml/label-groups.ts). */
const GROUPS = 'groups'
const GROUP_NAMES = 'group-names'

type Cell = [imageId: number, value: 0 | 1 | null, orig: 0 | 1 | null, start: number, end: number]
type LogLine = [groupId: number, imageId: number, old: 0 | 1 | null, next: 0 | 1 | null, at: string, undone: 0 | 1]
type Review = [imageId: number, value: 0 | 1, outcome: string, runId: number | null, probability: number | null, at: string]

export interface SavedLabel {
  id: number
  name: string
  /** 0-based, as labels.position */
  position: number
  cells: Cell[]
  logs: LogLine[]
  reviews: Review[]
  layouts: Layouts
  /** the settings' JSON text as it was (null: unset) */
  settings: Record<string, string | null>
}

export interface LabelRow {
  id: number
  name: string
  position: number
}

export function labelRows(db: Database): LabelRow[] {
  return db.prepare('SELECT id, name, position FROM labels ORDER BY position').all() as LabelRow[]
}

/** Numbers the labels 0, 1, ... in this order (through negatives: positions are unique at every step). */
export function setLabelOrder(db: Database, ids: readonly number[]): void {
  db.prepare('UPDATE labels SET position = -1 - position').run()
  const set = db.prepare('UPDATE labels SET position = ? WHERE id = ?')
  ids.forEach((id, position) => set.run(position, id))
}

/** An id for a new label: above every label now and every label the files had at import (csv-layout.ts). */
export function newLabelId(db: Database): number {
  const imported = db.prepare('SELECT max(json_array_length(label_columns)) FROM sources').pluck().get() as number | null
  const top = db.prepare('SELECT max(id) FROM labels').pluck().get() as number | null
  return Math.max(imported ?? 0, top ?? 0) + 1
}

export function readSetting(db: Database, key: string): string | null {
  return (db.prepare('SELECT json FROM settings WHERE key = ?').pluck().get(key) as string | undefined) ?? null
}

export function writeSetting(db: Database, key: string, json: string | null): void {
  if (json === null) db.prepare('DELETE FROM settings WHERE key = ?').run(key)
  else db.prepare('INSERT INTO settings (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json').run(key, json)
}

/** The declared groups without a label; a group left with fewer than two labels goes, and its name with it. */
function groupsWithout(db: Database, name: string): void {
  const groupsJson = readSetting(db, GROUPS)
  if (groupsJson === null) return
  const groups = JSON.parse(groupsJson) as string[][]
  const namesJson = readSetting(db, GROUP_NAMES)
  const names = namesJson === null ? null : (JSON.parse(namesJson) as unknown[])
  const keep: number[] = []
  const next = groups.map((g) => g.filter((l) => l !== name))
  next.forEach((g, i) => {
    if (g.length >= 2) keep.push(i)
  })
  writeSetting(db, GROUPS, JSON.stringify(keep.map((i) => next[i])))
  if (names !== null) writeSetting(db, GROUP_NAMES, JSON.stringify(keep.map((i) => names[i] ?? '')))
}

/** Removes a label with everything that refers to it, and answers what puts it back (putLabel). */
export function takeLabel(db: Database, id: number): SavedLabel {
  const row = db.prepare('SELECT id, name, position FROM labels WHERE id = ?').get(id) as LabelRow
  const saved: SavedLabel = {
    ...row,
    cells: db.prepare('SELECT image_id, value, orig, cell_start, cell_end FROM image_labels WHERE label_id = ?').raw().all(id) as Cell[],
    logs: db.prepare('SELECT group_id, image_id, old, new, at, undone FROM edit_log WHERE label_id = ? ORDER BY id').raw().all(id) as LogLine[],
    reviews: db
      .prepare('SELECT image_id, value, outcome, run_id, probability, at FROM label_reviews WHERE label_id = ?')
      .raw()
      .all(id) as Review[],
    layouts: {},
    settings: { [GROUPS]: readSetting(db, GROUPS), [GROUP_NAMES]: readSetting(db, GROUP_NAMES) },
  }
  const sources = readSourceColumns(db)
  saved.layouts = layoutsOf(sources)
  const after: Layouts = {}
  for (const source of sources) {
    const entries = entriesOf(source)
    const at = entryOfLabel(source, entries, id)
    if (at >= 0) entries.splice(at, 1)
    after[String(source.id)] = normalised(source, entries)
  }
  writeLayouts(db, after)
  db.prepare('DELETE FROM labels WHERE id = ?').run(id)
  setLabelOrder(
    db,
    labelRows(db).map((l) => l.id),
  )
  groupsWithout(db, row.name)
  return saved
}

/** Puts a label taken by takeLabel back: same id, name, position, cells, log lines, reviews, layouts, groups. */
export function putLabel(db: Database, saved: SavedLabel): void {
  const order = labelRows(db).map((l) => l.id)
  db.prepare('INSERT INTO labels (id, name, position) VALUES (?, ?, ?)').run(saved.id, saved.name, -1 - order.length)
  order.splice(saved.position, 0, saved.id)
  setLabelOrder(db, order)
  const cell = db.prepare('INSERT INTO image_labels (image_id, label_id, value, orig, cell_start, cell_end) VALUES (?, ?, ?, ?, ?, ?)')
  for (const [image, value, orig, start, end] of saved.cells) cell.run(image, saved.id, value, orig, start, end)
  // A line goes back only into a group that still exists (a group is deleted only when a new edit ends its redo branch).
  const log = db.prepare(
    `INSERT INTO edit_log (group_id, image_id, label_id, old, new, at, undone)
     SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM edit_groups WHERE id = ?)`,
  )
  for (const [group, image, old, next, at, undone] of saved.logs) log.run(group, image, saved.id, old, next, at, undone, group)
  const review = db.prepare(
    `INSERT INTO label_reviews (image_id, label_id, value, outcome, run_id, probability, at)
     VALUES (?, ?, ?, ?, (SELECT id FROM runs WHERE id = ?), ?, ?)`,
  )
  for (const [image, value, outcome, run, probability, at] of saved.reviews) review.run(image, saved.id, value, outcome, run, probability, at)
  writeLayouts(db, saved.layouts)
  for (const [key, json] of Object.entries(saved.settings)) writeSetting(db, key, json)
}
