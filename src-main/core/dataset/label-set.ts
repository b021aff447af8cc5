// Editing the label set: add, rename, remove and move a label. Each is one structural step of the edit log
// (structural-edits.ts), so undo and redo walk it with the cell edits. Records stay as read; export writes
// the new header and columns from each source's layout (csv-layout.ts), every kept cell with its bytes.
import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import type { LabelSetEdit } from '../../../src-preload/contract/label-set.ts'
import { entriesOf, entryOfLabel, layoutsOf, normalised, readSourceColumns, writeLayouts, type Layouts } from './csv-layout.ts'
import { checkLabelName, knownLabel } from './label-names.ts'
import { renameEverywhere, type RenamedRuns } from './label-rename.ts'
import { labelRows, newLabelId, putLabel, setLabelOrder, takeLabel, type SavedLabel } from './label-store.ts'
import type { Project } from './project.ts'
import { registerStructuralKind, setStructuralDetail } from './structural-edits.ts'
import type { EditGroup } from './types.ts'

export type { LabelSetEdit } from '../../../src-preload/contract/label-set.ts'

interface AddDetail {
  id: number
  name: string
  value: 0 | null
  layouts: Layouts
  /** what undoing the add took away (cells edited since, log lines, groups), for its redo */
  saved?: SavedLabel
}
interface RenameDetail {
  id: number
  from: string
  to: string
  runs: RenamedRuns
}
interface RemoveDetail {
  saved: SavedLabel
}
interface MoveDetail {
  id: number
  /** 0-based positions */
  from: number
  to: number
  before: Layouts
  after: Layouts
}

function addLabel(db: Database, id: number, name: string, value: 0 | null): Layouts {
  const position = labelRows(db).length
  db.prepare('INSERT INTO labels (id, name, position) VALUES (?, ?, ?)').run(id, name, position)
  // cell_start -1: the cell is not in the file as read; export writes it from its value (csv-rebuild.ts).
  db.prepare('INSERT INTO image_labels (image_id, label_id, value, orig, cell_start, cell_end) SELECT id, ?, ?, ?, -1, -1 FROM images').run(
    id,
    value,
    value,
  )
  const sources = readSourceColumns(db)
  const after: Layouts = {}
  for (const s of sources) after[String(s.id)] = normalised(s, [...entriesOf(s), { label: id }])
  writeLayouts(db, after)
  return after
}

/** Puts the label at a 0-based position; in each file its column goes beside its new neighbour's. */
function moveLabel(db: Database, id: number, to: number): Layouts {
  const order = labelRows(db).map((l) => l.id)
  order.splice(order.indexOf(id), 1)
  order.splice(to, 0, id)
  setLabelOrder(db, order)
  const after: Layouts = {}
  for (const s of readSourceColumns(db)) {
    const entries = entriesOf(s)
    const at = entryOfLabel(s, entries, id)
    if (at < 0) continue
    const [moved] = entries.splice(at, 1)
    const prev = to > 0 ? order[to - 1] : undefined
    const anchor = entryOfLabel(s, entries, prev ?? (order[1] as number))
    if (moved === undefined || anchor < 0) continue
    entries.splice(prev === undefined ? anchor : anchor + 1, 0, moved)
    after[String(s.id)] = normalised(s, entries)
  }
  writeLayouts(db, after)
  return after
}

function labelId(db: Database, name: string): number {
  return db.prepare('SELECT id FROM labels WHERE name = ?').pluck().get(name) as number
}

registerStructuralKind('label-add', {
  undo(db, detail, group) {
    const d = detail as AddDetail
    setStructuralDetail(db, group, { ...d, saved: takeLabel(db, d.id) })
  },
  redo(db, detail) {
    const d = detail as AddDetail
    if (d.saved) putLabel(db, d.saved)
    else addLabel(db, d.id, d.name, d.value)
  },
})

registerStructuralKind('label-rename', {
  undo(db, detail) {
    const d = detail as RenameDetail
    renameEverywhere(db, d.id, d.to, d.from, d.runs)
  },
  redo(db, detail) {
    const d = detail as RenameDetail
    renameEverywhere(db, d.id, d.from, d.to, d.runs)
  },
})

registerStructuralKind('label-remove', {
  undo: (db, detail) => putLabel(db, (detail as RemoveDetail).saved),
  redo(db, detail, group) {
    setStructuralDetail(db, group, { saved: takeLabel(db, (detail as RemoveDetail).saved.id) })
  },
})

registerStructuralKind('label-move', {
  undo(db, detail) {
    const d = detail as MoveDetail
    const order = labelRows(db).map((l) => l.id)
    order.splice(order.indexOf(d.id), 1)
    order.splice(d.from, 0, d.id)
    setLabelOrder(db, order)
    writeLayouts(db, d.before)
  },
  redo(db, detail) {
    const d = detail as MoveDetail
    moveLabel(db, d.id, d.to)
    writeLayouts(db, d.after)
  },
})

/**
 * Carries out one label-set edit as one undoable step by `author` (default: the project's), or throws
 * BAD_INPUT naming the value (nothing written).
 */
export function editLabelSet(project: Project, edit: LabelSetEdit, author?: string): EditGroup {
  const db = project.db
  const kind = `label-${edit.op}`
  const group = project.edits.structural(kind, () => {
    // Checked inside the step's transaction: the labels cannot change between the check and the write.
    const labels = project.labels()
    switch (edit.op) {
      case 'add': {
        checkLabelName(edit.name, labels)
        const id = newLabelId(db)
        const value = edit.value ?? null
        const layouts = layoutsOf(readSourceColumns(db))
        addLabel(db, id, edit.name, value)
        return { detail: { id, name: edit.name, value, layouts } satisfies AddDetail }
      }
      case 'rename': {
        knownLabel(edit.name, labels)
        if (edit.to === edit.name) throw new TagsmithError('BAD_INPUT', `label ${JSON.stringify(edit.name)} already has that name`)
        checkLabelName(edit.to, labels, edit.name)
        const id = labelId(db, edit.name)
        const runs = renameEverywhere(db, id, edit.name, edit.to)
        return { detail: { id, from: edit.name, to: edit.to, runs } satisfies RenameDetail }
      }
      case 'remove': {
        knownLabel(edit.name, labels)
        if (labels.length === 1) throw new TagsmithError('BAD_INPUT', `cannot remove ${JSON.stringify(edit.name)}: it is the only label`)
        return { detail: { saved: takeLabel(db, labelId(db, edit.name)) } satisfies RemoveDetail }
      }
      case 'move': {
        const from = knownLabel(edit.name, labels)
        if (!Number.isInteger(edit.to) || edit.to < 1 || edit.to > labels.length) {
          throw new TagsmithError('BAD_INPUT', `position ${edit.to} is not between 1 and ${labels.length} (the number of labels)`)
        }
        const to = edit.to - 1
        if (to === from) throw new TagsmithError('BAD_INPUT', `label ${JSON.stringify(edit.name)} is already at position ${edit.to}`)
        const id = labelId(db, edit.name)
        const before = layoutsOf(readSourceColumns(db))
        const after = moveLabel(db, id, to)
        return { detail: { id, from, to, before, after } satisfies MoveDetail }
      }
    }
  }, author)
  project.edits.rereadLabels()
  return group
}
