import { createHash } from 'node:crypto'
import { basename } from 'node:path'
import { TagsmithError } from '../errors.ts'
import { decodeCsvBytes } from './csv-decode.ts'
import { CsvSyntaxError, parseCsv, type CsvRecord } from './csv-parse.ts'
import type { LabelValue } from './types.ts'
import { ACCEPTED_VALUES, parseCellValue, ValueStyleCounter, type ValueStyle } from './values.ts'

export type LineEnding = 'LF' | 'CRLF' | 'CR'

export interface SourceRow {
  line: number
  /** Record text as read, including blank lines before it and its terminator. */
  raw: string
  indexRaw: string | null
  path: string
  /** Values in this file's label column order. */
  values: LabelValue[]
  /** [start, end) of each label cell within raw, quotes included. */
  spans: Array<[number, number]>
}

export interface ParsedSource {
  file: string
  name: string
  /** sha256 of the file bytes. */
  hash: string
  bom: boolean
  delimiter: string
  lineEnding: LineEnding
  headerRaw: string
  tail: string
  columns: number
  indexColumn: number | null
  imageColumn: number
  /** Label names in this file's column order, and the column of each. */
  labels: string[]
  labelColumns: number[]
  valueStyle: ValueStyle
  pathStyle: string
  rows: SourceRow[]
}

const TERMINATOR_NAME = { '\n': 'LF', '\r\n': 'CRLF', '\r': 'CR' } as const

/** A value quoted for a message, cut so that a huge cell is not copied over IPC and into the UI. */
function cut(value: string, max = 80): string {
  return value.length > max ? `${value.slice(0, max)}…` : value
}
const shown = (value: string): string => JSON.stringify(cut(value))

/** Reads one CSV in any accepted layout, or throws BAD_INPUT naming file, line, column and value. */
export function parseSource(file: string, bytes: Uint8Array): ParsedSource {
  const name = basename(file)
  const { text, bom } = decodeCsvBytes(bytes, name)
  const delimiter = detectDelimiter(text)
  let records: CsvRecord[]
  try {
    records = parseCsv(text, delimiter)
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      throw new TagsmithError('BAD_INPUT', `${name} line ${err.line}, column ${err.column}: ${err.message}`)
    }
    throw err
  }
  const header = records[0]
  if (!header || header.fields.every((f) => f.value.trim() === '')) {
    throw new TagsmithError('BAD_INPUT', `${name} line 1: the header is empty`)
  }
  const where = (line: number, column: number): string => `${name} line ${line}, column ${column}`
  const headerNames = header.fields.map((f) => f.value)
  const columns = headerNames.length

  // pandas writes its index column with an empty header; re-saved files call it "Unnamed: 0".
  const first = headerNames[0] ?? ''
  const indexColumn = first === '' || /^Unnamed: 0$/.test(first) ? 0 : null
  let imageColumn = -1
  const labels: string[] = []
  const labelColumns: number[] = []
  const seen = new Map<string, number>()
  headerNames.forEach((raw, col) => {
    if (col === indexColumn) return
    if (raw.trim() === '') {
      throw new TagsmithError('BAD_INPUT', `${where(header.line, col + 1)}: empty header cell`)
    }
    const earlier = seen.get(raw)
    if (earlier !== undefined) {
      throw new TagsmithError(
        'BAD_INPUT',
        `${where(header.line, col + 1)}: column name ${shown(raw)} repeats column ${earlier + 1}`,
      )
    }
    seen.set(raw, col)
    if (raw.trim().toLowerCase() === 'image') {
      if (imageColumn >= 0) {
        throw new TagsmithError(
          'BAD_INPUT',
          `${where(header.line, col + 1)}: column ${shown(raw)} and column ${imageColumn + 1} ${shown(headerNames[imageColumn] ?? '')} ` +
            'are both read as the image column; rename one of them',
        )
      }
      imageColumn = col
      return
    }
    labels.push(raw)
    labelColumns.push(col)
  })
  if (imageColumn < 0) {
    throw new TagsmithError('BAD_INPUT', `${name} line ${header.line}: no "image" column in the header (${headerNames.map(shown).join(', ')})`)
  }
  if (labels.length === 0) {
    throw new TagsmithError('BAD_INPUT', `${name} line ${header.line}: no label columns besides "image"`)
  }

  const styleCounter = new ValueStyleCounter()
  const terminators = new Map<string, number>()
  let slash = false
  let backslash = false
  const rows: SourceRow[] = []
  let rawStart = header.next
  for (let r = 1; r < records.length; r++) {
    const rec = records[r] as CsvRecord
    if (rec.fields.length !== columns) {
      throw new TagsmithError(
        'BAD_INPUT',
        `${name} line ${rec.line}: ragged row with ${rec.fields.length} fields; the header has ${columns}`,
      )
    }
    if (rec.terminator) terminators.set(rec.terminator, (terminators.get(rec.terminator) ?? 0) + 1)
    const imageField = rec.fields[imageColumn]
    const path = imageField?.value ?? ''
    if (path.trim() === '') {
      throw new TagsmithError('BAD_INPUT', `${where(rec.line, imageColumn + 1)} (image): empty image path`)
    }
    if (path.includes('/')) slash = true
    if (path.includes('\\')) backslash = true
    const values: LabelValue[] = []
    const spans: Array<[number, number]> = []
    for (let i = 0; i < labelColumns.length; i++) {
      const col = labelColumns[i] as number
      const field = rec.fields[col]
      if (!field) continue
      const value = parseCellValue(field.value)
      if (value === undefined) {
        throw new TagsmithError(
          'BAD_INPUT',
          `${where(rec.line, col + 1)} (${cut(labels[i] ?? '')}): value ${shown(field.value)} is not 0/1 (accepted: ${ACCEPTED_VALUES})`,
        )
      }
      styleCounter.see(field.value)
      values.push(value)
      spans.push([field.start - rawStart, field.end - rawStart])
    }
    rows.push({
      line: rec.line,
      raw: text.slice(rawStart, rec.next),
      indexRaw: indexColumn === null ? null : (rec.fields[indexColumn]?.value ?? null),
      path,
      values,
      spans,
    })
    rawStart = rec.next
  }
  if (rows.length === 0) throw new TagsmithError('BAD_INPUT', `${name}: no data rows, only the header`)
  if (header.terminator) terminators.set(header.terminator, (terminators.get(header.terminator) ?? 0) + 1)
  let lineEnding: LineEnding = 'LF'
  let top = 0
  for (const [t, count] of terminators) {
    if (count > top) [lineEnding, top] = [TERMINATOR_NAME[t as keyof typeof TERMINATOR_NAME], count]
  }
  return {
    file,
    name,
    hash: createHash('sha256').update(bytes).digest('hex'),
    bom,
    delimiter,
    lineEnding,
    headerRaw: text.slice(0, header.next),
    tail: text.slice(rawStart),
    columns,
    indexColumn,
    imageColumn,
    labels,
    labelColumns,
    valueStyle: styleCounter.style(),
    pathStyle: slash && backslash ? 'mixed' : backslash ? '\\' : slash ? '/' : 'none',
    rows,
  }
}

/** Comma unless the header line holds none and tabs or semicolons instead. */
function detectDelimiter(text: string): string {
  const nl = text.search(/[\r\n]/)
  const headerLine = nl < 0 ? text : text.slice(0, nl)
  if (headerLine.includes(',')) return ','
  if (headerLine.includes('\t')) return '\t'
  if (headerLine.includes(';')) return ';'
  return ','
}
