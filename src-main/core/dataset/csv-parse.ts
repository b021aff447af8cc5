// RFC 4180 reader that keeps positions: every record knows its exact text span and line, every
// field its span, so export can write back untouched records verbatim and edit single cells.

export interface CsvField {
  /** Decoded value (quotes removed, doubled quotes collapsed). */
  value: string
  /** Span of the field as written, quotes included, in the decoded text. */
  start: number
  end: number
  quoted: boolean
}

export interface CsvRecord {
  fields: CsvField[]
  /** 1-based line where the record starts. */
  line: number
  /** Start of the record's text (after any blank lines before it are skipped). */
  start: number
  /** End of the record's text, before its terminator. */
  end: number
  /** End of its terminator ('' at end of file). */
  next: number
  terminator: '' | '\n' | '\r\n' | '\r'
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message)
  }
}

const QUOTE = 34 // "
const LF = 10
const CR = 13

/**
 * Splits text into records. Lines that are completely empty are skipped (their text stays between
 * records, so the caller can keep it); a quote inside an unquoted field is taken literally.
 */
export function parseCsv(text: string, delimiter = ','): CsvRecord[] {
  const delim = delimiter.charCodeAt(0)
  const records: CsvRecord[] = []
  const n = text.length
  let pos = 0
  let line = 1
  while (pos < n) {
    // Blank line: skip it, keeping line numbers right.
    const c0 = text.charCodeAt(pos)
    if (c0 === LF || c0 === CR) {
      pos += c0 === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1
      line++
      continue
    }
    const start = pos
    const startLine = line
    const fields: CsvField[] = []
    let terminator: CsvRecord['terminator'] = ''
    let end: number
    for (;;) {
      const fieldStart = pos
      let value: string
      let quoted = false
      if (text.charCodeAt(pos) === QUOTE) {
        quoted = true
        pos++
        let chunkStart = pos
        value = ''
        for (;;) {
          const q = text.indexOf('"', pos)
          if (q < 0) {
            throw new CsvSyntaxError(startLine, fields.length + 1, 'quoted field is never closed')
          }
          // Count line breaks inside the quoted field so later line numbers stay right.
          for (let i = pos; i < q; i++) {
            const ch = text.charCodeAt(i)
            if (ch === LF || (ch === CR && text.charCodeAt(i + 1) !== LF)) line++
          }
          if (text.charCodeAt(q + 1) === QUOTE) {
            value += text.slice(chunkStart, q + 1)
            pos = q + 2
            chunkStart = pos
            continue
          }
          value += text.slice(chunkStart, q)
          pos = q + 1
          break
        }
        const after = pos < n ? text.charCodeAt(pos) : -1
        if (after !== -1 && after !== delim && after !== LF && after !== CR) {
          throw new CsvSyntaxError(line, fields.length + 1, `unexpected text after a closing quote: ${JSON.stringify(text.slice(pos, pos + 10))}`)
        }
      } else {
        let i = pos
        while (i < n) {
          const ch = text.charCodeAt(i)
          if (ch === delim || ch === LF || ch === CR) break
          i++
        }
        value = text.slice(pos, i)
        pos = i
      }
      fields.push({ value, start: fieldStart, end: pos, quoted })
      if (pos >= n) {
        end = n
        break
      }
      const ch = text.charCodeAt(pos)
      if (ch === delim) {
        pos++
        if (pos >= n) {
          // Trailing delimiter at end of file: one more empty field.
          fields.push({ value: '', start: pos, end: pos, quoted: false })
          end = n
          break
        }
        continue
      }
      end = pos
      if (ch === CR && text.charCodeAt(pos + 1) === LF) {
        terminator = '\r\n'
        pos += 2
      } else {
        terminator = ch === CR ? '\r' : '\n'
        pos++
      }
      line++
      break
    }
    records.push({ fields, line: startLine, start, end, next: pos, terminator })
  }
  return records
}
