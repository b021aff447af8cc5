import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import { entriesOf, labelOfEntry, readSourceColumns, type SourceColumns } from './csv-layout.ts'
import { rebuildHeader, rebuildRecord, type HeaderNames } from './csv-rebuild.ts'
import type { LabelValue } from './types.ts'
import type { ValueStyle } from './values.ts'

interface SourceRow {
  id: number
  name: string
  path: string
  written_hash: string
  bom: number
  header_raw: string
  tail: string
  value_style: string
  delimiter: string
}

interface EditedCell {
  image_id: number
  value: LabelValue
  cell_start: number
  cell_end: number
}

/**
 * Rebuilds one CSV: untouched records verbatim, edited cells rewritten in the file's value style
 * (quoted if the original cell was), everything else byte for byte. After the label set changed, the
 * header and records are written with the source's layout (csv-layout.ts), every kept cell's bytes as read.
 */
export function buildCsvBytes(db: Database, sourceName: string): { bytes: Buffer; path: string; writtenHash: string } {
  const source = db
    .prepare('SELECT id, name, path, written_hash, bom, header_raw, tail, value_style, delimiter FROM sources WHERE name = ?')
    .get(sourceName) as SourceRow | undefined
  if (!source) throw new TagsmithError('NOT_FOUND', `no source CSV named ${sourceName} in this project`)
  const style = JSON.parse(source.value_style) as ValueStyle
  const edits = db
    .prepare(
      // CROSS JOIN keeps image_labels outermost, so the partial index of edited cells is used.
      `SELECT il.image_id, il.value, il.cell_start, il.cell_end
       FROM image_labels il CROSS JOIN images i ON i.id = il.image_id
       WHERE il.value IS NOT il.orig AND i.source_id = ? AND il.cell_start >= 0
       ORDER BY il.image_id, il.cell_start DESC`,
    )
    .all(source.id) as EditedCell[]
  const editsByImage = new Map<number, EditedCell[]>()
  for (const e of edits) {
    const list = editsByImage.get(e.image_id)
    if (list) list.push(e)
    else editsByImage.set(e.image_id, [e])
  }
  const rows = db
    .prepare('SELECT id, raw FROM images WHERE source_id = ? ORDER BY row_number')
    .raw()
    .all(source.id) as Array<[number, string]>
  const columns = readSourceColumns(db).find((c) => c.id === source.id) as SourceColumns
  const entries = entriesOf(columns)
  const parts: string[] = [source.bom ? '\uFEFF' : '', rebuildHeader(source.header_raw, source.delimiter, entries, headerNames(db, columns))]
  if (columns.layout === null) {
    for (const [id, raw] of rows) {
      const cells = editsByImage.get(id)
      parts.push(cells ? rewriteCells(raw, cells, style) : raw)
    }
  } else {
    const added = addedValues(db, source.id)
    const labelColumns = [...columns.columnOfLabel.values()]
    for (const [id, raw] of rows) {
      const cells = editsByImage.get(id)
      const values = added.get(id)
      const text = (labelId: number): string => {
        const value = values?.get(labelId) ?? null
        return value === null ? '' : style[value === 1 ? '1' : '0']
      }
      parts.push(rebuildRecord(cells ? rewriteCells(raw, cells, style) : raw, source.delimiter, entries, labelColumns, text))
    }
  }
  parts.push(source.tail)
  return { bytes: Buffer.from(parts.join(''), 'utf8'), path: source.path, writtenHash: source.written_hash }
}

/** The names header cells are written with: each present label's, by its column as read or its added entry. */
function headerNames(db: Database, columns: SourceColumns): HeaderNames {
  const names = new Map(db.prepare('SELECT id, name FROM labels').raw().all() as Array<[number, string]>)
  const byColumn = new Map<number, string>()
  for (const [id, column] of columns.columnOfLabel) {
    const name = names.get(id)
    if (name !== undefined) byColumn.set(column, name)
  }
  const added = new Map<number, string>()
  for (const e of entriesOf(columns)) {
    const id = typeof e === 'number' ? undefined : labelOfEntry(columns, e)
    if (id !== undefined) added.set(id, names.get(id) ?? '')
  }
  return { byColumn, added }
}

/** Values of the labels added since import (cells not in the file as read), by image then label id. */
function addedValues(db: Database, sourceId: number): Map<number, Map<number, LabelValue>> {
  const rows = db
    .prepare(
      `SELECT il.image_id, il.label_id, il.value FROM image_labels il JOIN images i ON i.id = il.image_id
       WHERE i.source_id = ? AND il.cell_start < 0`,
    )
    .raw()
    .all(sourceId) as Array<[number, number, LabelValue]>
  const byImage = new Map<number, Map<number, LabelValue>>()
  for (const [image, label, value] of rows) {
    const map = byImage.get(image)
    if (map) map.set(label, value)
    else byImage.set(image, new Map([[label, value]]))
  }
  return byImage
}

/** cells are sorted right to left, so earlier spans stay valid while later ones are replaced. */
function rewriteCells(raw: string, cells: EditedCell[], style: ValueStyle): string {
  let out = raw
  for (const c of cells) {
    const wasQuoted = raw.charCodeAt(c.cell_start) === 34
    const text = c.value === null ? '' : style[c.value === 1 ? '1' : '0']
    out = out.slice(0, c.cell_start) + (wasQuoted ? `"${text}"` : text) + out.slice(c.cell_end)
  }
  return out
}

/** True when the file on disk is not what we last read or wrote (a missing file is fine to write). */
export function changedOnDisk(file: string, writtenHash: string): boolean {
  let bytes: Buffer
  try {
    bytes = readFileSync(file)
  } catch {
    return false
  }
  return sha256(bytes) !== writtenHash
}

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

/** Creates the export folder, or BAD_INPUT naming it (or the file standing where a folder should be). */
export function makeExportFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : ''
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      // The folder itself, or one of its parents, is a file.
      let blocker = dir
      while (dirname(blocker) !== blocker && !statSync(blocker, { throwIfNoEntry: false })) blocker = dirname(blocker)
      const what = blocker === dir ? 'it' : blocker
      throw new TagsmithError('BAD_INPUT', `cannot export into ${dir}: ${what} is a file, not a folder`)
    }
    throw new TagsmithError('BAD_INPUT', `cannot create the export folder ${dir} (${code || String(err)})`)
  }
}
