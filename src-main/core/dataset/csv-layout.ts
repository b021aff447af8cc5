// Which columns an export writes for each source CSV, and in what order (migration 0090). Records stay as
// read: removing a label drops its column from the layout, moving one reorders it, adding one appends an
// entry whose cells come from image_labels. Undo puts a layout back as it was.
import type { Database } from '../db/open.ts'

/** A column of the file as read (its number), or a label added since (its id). */
export type LayoutEntry = number | { label: number }
/** null: the columns as read. */
export type Layout = LayoutEntry[] | null

export interface SourceColumns {
  id: number
  columns: number
  /** label id -> its column in the file as read (labels present at import) */
  columnOfLabel: Map<number, number>
  layout: Layout
}

/** label_columns lists each imported label's column in the order of their ids (1, 2, ...). */
function columnsOfLabels(json: string): Map<number, number> {
  const columns = JSON.parse(json) as number[]
  return new Map(columns.map((column, i) => [i + 1, column]))
}

export function readSourceColumns(db: Database): SourceColumns[] {
  const rows = db.prepare('SELECT id, columns, label_columns, layout FROM sources ORDER BY position').all() as Array<{
    id: number
    columns: number
    label_columns: string
    layout: string | null
  }>
  return rows.map((r) => ({
    id: r.id,
    columns: r.columns,
    columnOfLabel: columnsOfLabels(r.label_columns),
    layout: r.layout === null ? null : (JSON.parse(r.layout) as LayoutEntry[]),
  }))
}

/** Every source's layout by source id (null: as read), as a step's detail keeps them. */
export type Layouts = Record<string, Layout>

export function layoutsOf(sources: readonly SourceColumns[]): Layouts {
  return Object.fromEntries(sources.map((s) => [String(s.id), s.layout]))
}

export function writeLayouts(db: Database, layouts: Layouts): void {
  const update = db.prepare('UPDATE sources SET layout = ? WHERE id = ?')
  for (const [id, layout] of Object.entries(layouts)) update.run(layout === null ? null : JSON.stringify(layout), Number(id))
}

/** The entries written, in order (a copy to change); an identity layout is stored as null. */
export function entriesOf(source: Pick<SourceColumns, 'columns' | 'layout'>): LayoutEntry[] {
  return source.layout ? [...source.layout] : Array.from({ length: source.columns }, (_, i) => i)
}

export function normalised(source: Pick<SourceColumns, 'columns'>, entries: LayoutEntry[]): Layout {
  const identity = entries.length === source.columns && entries.every((e, i) => e === i)
  return identity ? null : entries
}

/**
 * Index in `entries` of a label's column, or -1. Labels added after import get ids above every imported one
 * (label-store.ts), so an id names either a column as read or an added entry, never both.
 */
export function entryOfLabel(source: SourceColumns, entries: readonly LayoutEntry[], labelId: number): number {
  const column = source.columnOfLabel.get(labelId)
  return entries.findIndex((e) => (typeof e === 'number' ? e === column : e.label === labelId))
}

/** The label each entry holds (undefined for the index and image columns). */
export function labelOfEntry(source: SourceColumns, entry: LayoutEntry): number | undefined {
  if (typeof entry !== 'number') return entry.label
  for (const [id, column] of source.columnOfLabel) if (column === entry) return id
  return undefined
}
