// Writing a record or header again after the label set changed: the fields are cut from the text as read
// (each keeps its bytes: quotes, value spelling, path string), then joined in the layout's order with the
// file's delimiter; blank lines before the record and its line ending stay as they were.
import { parseCsv, type CsvField } from './csv-parse.ts'
import type { LayoutEntry } from './csv-layout.ts'

/** A cell as CSV writes it: quoted when asked to, or when the text holds the delimiter, a quote or a line break. */
export function encodeCell(text: string, delimiter: string, quote: boolean): string {
  const needs = quote || text.includes(delimiter) || /["\r\n]/.test(text)
  return needs ? `"${text.replace(/"/g, '""')}"` : text
}

interface SplitRecord {
  prefix: string
  fields: CsvField[]
  suffix: string
  text: string
}

function splitRecord(raw: string, delimiter: string): SplitRecord {
  const record = parseCsv(raw, delimiter)[0]
  if (!record) return { prefix: raw, fields: [], suffix: '', text: raw }
  return { prefix: raw.slice(0, record.start), fields: record.fields, suffix: raw.slice(record.end), text: raw }
}

const bytesOf = (r: SplitRecord, f: CsvField): string => r.text.slice(f.start, f.end)

/** Whether every label cell of the record as read is quoted (new cells then are too). */
function allQuoted(r: SplitRecord, labelColumns: readonly number[]): boolean {
  return labelColumns.length > 0 && labelColumns.every((c) => r.fields[c]?.quoted === true)
}

export interface HeaderNames {
  /** column as read -> the name of the label it holds now */
  byColumn: Map<number, string>
  /** added label id -> its name */
  added: Map<number, string>
}

/**
 * The header with the layout's columns; a label's cell keeps its bytes unless the label was renamed, then it
 * is its name, quoted like the other label cells or when it must be.
 */
export function rebuildHeader(raw: string, delimiter: string, entries: readonly LayoutEntry[], names: HeaderNames): string {
  const r = splitRecord(raw, delimiter)
  const quote = allQuoted(r, [...names.byColumn.keys()])
  const cells = entries.map((e) => {
    if (typeof e !== 'number') return encodeCell(names.added.get(e.label) ?? '', delimiter, quote)
    const field = r.fields[e]
    if (!field) return ''
    const name = names.byColumn.get(e)
    return name === undefined || name === field.value ? bytesOf(r, field) : encodeCell(name, delimiter, quote)
  })
  return r.prefix + cells.join(delimiter) + r.suffix
}

/** A data record with the layout's columns; an added label's cell is its value in the file's spelling. */
export function rebuildRecord(
  raw: string,
  delimiter: string,
  entries: readonly LayoutEntry[],
  labelColumns: readonly number[],
  addedCell: (labelId: number) => string,
): string {
  const r = splitRecord(raw, delimiter)
  const quote = allQuoted(r, labelColumns)
  const cells = entries.map((e) => {
    if (typeof e !== 'number') return encodeCell(addedCell(e.label), delimiter, quote)
    const field = r.fields[e]
    return field ? bytesOf(r, field) : ''
  })
  return r.prefix + cells.join(delimiter) + r.suffix
}
