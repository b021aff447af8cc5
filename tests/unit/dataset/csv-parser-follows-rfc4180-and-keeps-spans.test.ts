import { describe, expect, it } from 'vitest'
import { CsvSyntaxError, parseCsv } from '../../../src-main/core/dataset/csv-parse.ts'

const values = (text: string, delimiter = ',') => parseCsv(text, delimiter).map((r) => r.fields.map((f) => f.value))

describe('parseCsv', () => {
  it('reads plain, quoted, escaped and multi-line fields', () => {
    const text = 'a,b,c\n"x,1","say ""hi""","two\nlines"\nplain,,""\n'
    expect(values(text)).toEqual([
      ['a', 'b', 'c'],
      ['x,1', 'say "hi"', 'two\nlines'],
      ['plain', '', ''],
    ])
  })

  it('reports the terminator of each record and the line it starts on', () => {
    const records = parseCsv('h1,h2\r\n"a\r\nb",1\r\nc,2\nd,3\re,4')
    expect(records.map((r) => [r.line, r.terminator])).toEqual([
      [1, '\r\n'],
      [2, '\r\n'],
      [4, '\n'],
      [5, '\r'],
      [6, ''],
    ])
  })

  it('gives spans that cut the text back into its fields, quotes included', () => {
    const text = 'x,"y,z",""\n'
    const [record] = parseCsv(text)
    expect(record?.fields.map((f) => text.slice(f.start, f.end))).toEqual(['x', '"y,z"', '""'])
    expect(record?.fields.map((f) => f.quoted)).toEqual([false, true, true])
    expect(text.slice(record?.start, record?.next)).toBe(text)
  })

  it('skips empty lines but counts them', () => {
    const records = parseCsv('a,b\n\n\nc,d\n\n')
    expect(records.map((r) => r.line)).toEqual([1, 4])
  })

  it('keeps an empty last field after a trailing delimiter', () => {
    expect(values('a,b,\n')).toEqual([['a', 'b', '']])
    expect(values('a,b,')).toEqual([['a', 'b', '']])
  })

  it('reads other delimiters', () => {
    expect(values('a\tb\n1\t"2\t3"\n', '\t')).toEqual([['a', 'b'], ['1', '2\t3']])
  })

  it('rejects an unclosed quote and text after a closing quote, with line and column', () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow(CsvSyntaxError)
    try {
      parseCsv('a,b\n1,"x"y\n')
    } catch (err) {
      expect(err).toBeInstanceOf(CsvSyntaxError)
      expect((err as CsvSyntaxError).line).toBe(2)
      expect((err as CsvSyntaxError).column).toBe(2)
      return
    }
    throw new Error('expected a syntax error')
  })
})
