import { readFile } from 'node:fs/promises'

export interface Csv {
  text: string
  lines: string[]
  header: string[]
  /** Data rows split into cells; apparel-mini has no quoted fields. */
  rows: string[][]
}

export async function readCsv(file: string): Promise<Csv> {
  const text = await readFile(file, 'utf8')
  const lines = text.split(/\r?\n/)
  if (lines.at(-1) === '') lines.pop()
  const [head = '', ...body] = lines
  return { text, lines, header: head.split(','), rows: body.map((l) => l.split(',')) }
}

/** The cell of `column` in the row whose image path is `imagePath`. */
export function cell(csv: Csv, imagePath: string, column: string): string | undefined {
  const col = csv.header.indexOf(column)
  const pathCol = csv.header.indexOf('image')
  return csv.rows.find((r) => r[pathCol] === imagePath)?.[col]
}

export function countOnes(csv: Csv, column: string): number {
  const col = csv.header.indexOf(column)
  return csv.rows.filter((r) => r[col] === '1').length
}
