// The rows of added images, written into the project (and taken out and put back by undo and redo). Each
// row's record text is made in its CSV's own style, so export appends it after the existing records.
import type { Database } from '../db/open.ts'
import { formatRecord, lineBreaks, writePath } from './csv-record.ts'
import { recordStyleOf, type AddTarget, type SourceRecord } from './add-target.ts'
import { registerStructuralKind } from './structural-edits.ts'

export interface AddedRow {
  /** Relative to the images folder, '/' separators. */
  rel: string
  abs: string
  hash: string
  bytes: number
}

type Row = Record<string, unknown>

/** What undo and redo of an add need: every stored column of what it inserted, ids included. */
export interface AddDetail {
  group: number
  /** The source the add created, or null when the rows went into an existing one. */
  created: SourceRecord | null
  images: Row[]
  cells: Row[]
  /**
   * While undone: the edit log rows of the added images (this step's and later undone steps'), which the
   * rows' removal takes with them, so that redo restores them.
   */
  log?: Row[]
}

export const ADD_KIND = 'images-add'

/** Inserts the rows with empty cells; returns their ids and the step's detail. Runs inside the step's transaction. */
export function insertAddedRows(db: Database, target: AddTarget, rows: readonly AddedRow[]): { added: Array<{ id: number; rel: string }>; detail: AddDetail } {
  const group = db.prepare('SELECT max(id) FROM edit_groups').pluck().get() as number
  if (target.created) insertRow(db, 'sources', target.source)
  const labels = db.prepare('SELECT id FROM labels ORDER BY position').pluck().all() as number[]
  const { style, nextIndex, nextRow, nextLine } = recordStyleOf(db, target.source)
  const firstId = (db.prepare('SELECT coalesce(max(id), 0) + 1 FROM images').pluck().get() as number)
  const insertImage = db.prepare(
    `INSERT INTO images (id, source_id, row_number, line, index_raw, path, rel, split, status, reason, hash, bytes, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ok', NULL, ?, ?, ?)`,
  )
  const insertCell = db.prepare('INSERT INTO image_labels (image_id, label_id, value, orig, cell_start, cell_end) VALUES (?, ?, NULL, NULL, ?, ?)')
  const added: Array<{ id: number; rel: string }> = []
  let line = nextLine
  rows.forEach((row, i) => {
    const id = firstId + i
    const index = nextIndex === null ? null : String(nextIndex + i)
    const path = writePath(row.rel, row.abs, style.paths)
    const { raw, spans } = formatRecord(style, index, path)
    insertImage.run(id, target.source.id, nextRow + i, line, index, path, row.rel, target.split, row.hash, row.bytes, raw)
    for (const labelId of labels) {
      // label_columns lists the imported labels' columns by label id (csv-layout.ts); a label added since has
      // no cell in the record as written, and export writes it from its value (cell_start -1).
      const span = spans[labelId - 1]
      insertCell.run(id, labelId, span?.[0] ?? -1, span?.[1] ?? -1)
    }
    added.push({ id, rel: row.rel })
    line += lineBreaks(raw) + (style.leadingTerminator ? 1 : 0)
  })
  const ids = JSON.stringify(added.map((a) => a.id))
  const detail: AddDetail = {
    group,
    created: target.created ? target.source : null,
    images: db.prepare('SELECT * FROM images WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id').all(ids) as Row[],
    cells: db.prepare('SELECT * FROM image_labels WHERE image_id IN (SELECT value FROM json_each(?))').all(ids) as Row[],
  }
  return { added, detail }
}

/** Inserts one row of a table from its stored columns (names read from the database, values bound). */
function insertRow(db: Database, table: 'sources' | 'images' | 'image_labels' | 'edit_log', row: Row): void {
  const columns = Object.keys(row)
  db.prepare(`INSERT INTO ${table} (${columns.map((c) => `"${c.replace(/"/g, '""')}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(
    ...columns.map((c) => row[c]),
  )
}

registerStructuralKind(ADD_KIND, {
  undo(db, raw) {
    const detail = raw as AddDetail
    const ids = JSON.stringify(detail.images.map((i) => i.id))
    // Removing the rows removes their cells and logged edits (ON DELETE CASCADE): keep the log for redo.
    const log = db.prepare('SELECT * FROM edit_log WHERE image_id IN (SELECT value FROM json_each(?)) ORDER BY id').all(ids) as Row[]
    // A created CSV as it is now: an export since the add recorded the hash of the file it wrote.
    const created = detail.created ? (db.prepare('SELECT * FROM sources WHERE id = ?').get(detail.created.id) as SourceRecord) : null
    db.prepare('UPDATE edit_groups SET detail = ? WHERE id = ?').run(JSON.stringify({ ...detail, created, log }), detail.group)
    db.prepare('DELETE FROM images WHERE id IN (SELECT value FROM json_each(?))').run(ids)
    if (created) db.prepare('DELETE FROM sources WHERE id = ?').run(created.id)
  },
  redo(db, raw) {
    const { log, ...detail } = raw as AddDetail
    if (detail.created) insertRow(db, 'sources', detail.created)
    for (const image of detail.images) insertRow(db, 'images', image)
    for (const cell of detail.cells) insertRow(db, 'image_labels', cell)
    for (const entry of log ?? []) insertRow(db, 'edit_log', entry)
    db.prepare('UPDATE edit_groups SET detail = ? WHERE id = ?').run(JSON.stringify(detail), detail.group)
  },
})
