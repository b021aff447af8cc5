// A new record written the way its CSV already writes records: delimiter, quoting, line ending, path
// separators and './' prefix, and the pandas index continuing. Existing records are never touched.
import { parseCsv } from './csv-parse.ts'

export interface RecordStyle {
  delimiter: string
  /** The file's dominant record terminator. */
  terminator: string
  columns: number
  indexColumn: number | null
  imageColumn: number
  /** Column of each label, in label position order. */
  labelColumns: number[]
  /** Columns the file's last record quotes (pandas QUOTE_ALL and the like). */
  quoted: ReadonlySet<number>
  /**
   * The file's last record has no terminator: a new record then starts with one instead of ending with
   * one, so the earlier bytes stay as they are and the file keeps ending without a line break.
   */
  leadingTerminator: boolean
  /** How image paths are written: separator, './' prefix, absolute. */
  paths: PathStyle
}

export interface PathStyle {
  separator: '/' | '\\'
  dotSlash: boolean
  /** Paths are written absolute (the images folder joined in front). */
  absolute: boolean
}

const TERMINATORS: Readonly<Record<string, string>> = { LF: '\n', CRLF: '\r\n', CR: '\r' }

export function terminatorOf(lineEnding: string): string {
  return TERMINATORS[lineEnding] ?? '\n'
}

/** Which columns a record quotes, read from its raw text. */
export function quotedColumns(raw: string, delimiter: string): Set<number> {
  const record = parseCsv(raw, delimiter)[0]
  const quoted = new Set<number>()
  record?.fields.forEach((f, column) => {
    if (f.quoted) quoted.add(column)
  })
  return quoted
}

/** True when a record's raw text ends with a line break. */
export function endsWithTerminator(raw: string): boolean {
  return raw.endsWith('\n') || raw.endsWith('\r')
}

/** The majority style of a file's image paths; '/' and no prefix when it has none to learn from. */
export function learnPathStyle(paths: readonly string[], sourcePathStyle: string): PathStyle {
  let dotSlash = 0
  let absolute = 0
  for (const p of paths) {
    if (/^\.[\\/]/.test(p)) dotSlash++
    if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)) absolute++
  }
  const half = paths.length / 2
  return {
    separator: sourcePathStyle === '\\' ? '\\' : '/',
    dotSlash: paths.length > 0 && dotSlash > half,
    absolute: paths.length > 0 && absolute > half,
  }
}

/** A relative '/' path (or the absolute path, when the file writes those) in the file's spelling. */
export function writePath(rel: string, abs: string, style: PathStyle): string {
  const path = style.absolute ? abs : style.dotSlash ? `./${rel}` : rel
  return style.separator === '\\' ? path.replace(/\//g, '\\') : path
}

function field(value: string, delimiter: string, quote: boolean): string {
  const needs = value.includes(delimiter) || value.includes('"') || value.includes('\n') || value.includes('\r')
  return quote || needs ? `"${value.replace(/"/g, '""')}"` : value
}

/**
 * One record with every label cell empty. Returns its raw text (terminator included, before or after as
 * the style says) and the span of each label cell in it, quotes included, as export expects.
 */
export function formatRecord(style: RecordStyle, index: string | null, path: string): { raw: string; spans: Array<[number, number]> } {
  const texts: string[] = []
  for (let column = 0; column < style.columns; column++) {
    const value = column === style.indexColumn ? (index ?? '') : column === style.imageColumn ? path : ''
    texts.push(field(value, style.delimiter, style.quoted.has(column)))
  }
  const lead = style.leadingTerminator ? style.terminator : ''
  const starts: number[] = []
  let at = lead.length
  for (const text of texts) {
    starts.push(at)
    at += text.length + style.delimiter.length
  }
  const raw = lead + texts.join(style.delimiter) + (style.leadingTerminator ? '' : style.terminator)
  const spans = style.labelColumns.map((column): [number, number] => {
    const start = starts[column] ?? 0
    return [start, start + (texts[column] ?? '').length]
  })
  return { raw, spans }
}

/** The next pandas index after the highest numeric one of a file, or null when the file has no index. */
export function nextIndex(indexes: ReadonlyArray<string | null>): number | null {
  let top: number | null = null
  for (const raw of indexes) {
    if (raw === null || !/^-?\d+$/.test(raw.trim())) continue
    const n = Number(raw.trim())
    if (top === null || n > top) top = n
  }
  return top === null ? null : top + 1
}

/** Line breaks in a record's text after any blank lines before it: the lines it spans, less one, plus its terminator. */
export function lineBreaks(raw: string): number {
  const core = raw.replace(/^[\r\n]+/, '')
  return (core.match(/\r\n|\r|\n/g) ?? []).length
}
