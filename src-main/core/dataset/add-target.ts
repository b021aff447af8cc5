// Which CSV added images go into: the one named, else the first of the split; a folder project gets a new
// `<split>.csv` in its folder when it has none; a CSV project without one is refused, its CSVs listed.
import { createHash } from 'node:crypto'
import { basename, join } from 'node:path'
import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
import { endsWithTerminator, learnPathStyle, lineBreaks, nextIndex, quotedColumns, terminatorOf, type RecordStyle } from './csv-record.ts'
import { inferSplit } from './split.ts'
import type { Split } from './types.ts'

/** A `sources` row as stored, every column, so that undo and redo can take it out and put it back. */
export type SourceRecord = Record<string, unknown> & { id: number; name: string; images_dir: string }

export interface AddTarget {
  source: SourceRecord
  /** The source does not exist yet: the add creates it (and its undo removes it). */
  created: boolean
  split: Split
}

export function chooseTarget(db: Database, options: { csv?: string; split?: Split }, folderRoot: string | undefined): AddTarget {
  const sources = db.prepare('SELECT * FROM sources ORDER BY position').all() as SourceRecord[]
  const list = (): string => sources.map((s) => s.name).join(', ')
  if (options.csv !== undefined) {
    const name = basename(options.csv)
    const source = sources.find((s) => s.name === name)
    if (!source) throw new TagsmithError('BAD_INPUT', `no CSV named ${JSON.stringify(options.csv)} in this project (its CSVs: ${list()})`)
    return { source, created: false, split: options.split ?? inferSplit(source.name) }
  }
  const split = options.split ?? 'train'
  const source = sources.find((s) => inferSplit(s.name) === split)
  if (source) return { source, created: false, split }
  const first = sources[0]
  if (folderRoot === undefined || !first) {
    throw new TagsmithError('BAD_INPUT', `this project has no CSV for the split ${split} (its CSVs: ${list()}); choose one of them`)
  }
  const name = `${split}.csv`
  const top = (column: 'id' | 'position'): number => Math.max(0, ...sources.map((s) => Number(s[column])))
  // The same header and style as the project's first CSV; no file yet, so the hash is of no bytes: export
  // then refuses to overwrite a file someone put there meanwhile.
  const created: SourceRecord = {
    ...first,
    id: top('id') + 1,
    position: top('position') + 1,
    name,
    path: join(folderRoot, name),
    images_dir: first.images_dir,
    tail: '',
    written_hash: createHash('sha256').update('').digest('hex'),
    imported_at: new Date().toISOString(),
  }
  return { source: created, created: true, split }
}

/** How new records of this source are written, learnt from its header and its existing records. */
export function recordStyleOf(db: Database, source: SourceRecord): { style: RecordStyle; nextIndex: number | null; nextRow: number; nextLine: number } {
  const delimiter = String(source.delimiter)
  const terminator = terminatorOf(String(source.line_ending))
  const last = db
    .prepare('SELECT row_number, line, raw FROM images WHERE source_id = ? ORDER BY row_number DESC LIMIT 1')
    .get(source.id) as { row_number: number; line: number; raw: string } | undefined
  const paths = db.prepare('SELECT path FROM images WHERE source_id = ?').pluck().all(source.id) as string[]
  const indexes = db.prepare('SELECT index_raw FROM images WHERE source_id = ?').pluck().all(source.id) as Array<string | null>
  const labelColumns = JSON.parse(String(source.label_columns)) as number[]
  const indexColumn = source.index_column === null ? null : Number(source.index_column)
  const headerRaw = String(source.header_raw)
  const style: RecordStyle = {
    delimiter,
    terminator,
    columns: Number(source.columns),
    indexColumn,
    imageColumn: Number(source.image_column),
    // Every imported label's column, by label id, removed ones too: the record keeps the columns the file has.
    labelColumns,
    quoted: quotedColumns(last?.raw ?? '', delimiter),
    // A header-only new source: its header ends with a terminator, like any CSV the import read.
    leadingTerminator: last ? !endsWithTerminator(last.raw) : !endsWithTerminator(headerRaw),
    paths: learnPathStyle(paths, String(source.path_style)),
  }
  const next = indexColumn === null ? null : (nextIndex(indexes) ?? 0)
  // The line the next record starts on (a leading terminator puts it one further down).
  const nextLine = (last ? last.line + lineBreaks(last.raw) : 1 + lineBreaks(headerRaw)) + (style.leadingTerminator ? 1 : 0)
  return { style, nextIndex: next, nextRow: last ? last.row_number + 1 : 0, nextLine }
}
