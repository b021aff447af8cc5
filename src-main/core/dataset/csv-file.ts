// Reading a CSV from disk: refused by size before any byte is read, so a huge file cannot exhaust
// memory (parsing holds the text, the records and the rows at once, several times the file's size).
import { readFileSync, statSync } from 'node:fs'
import { basename } from 'node:path'
import { TagsmithError } from '../errors.ts'

/** 100,000 rows with 50 labels are about 12 MB; the cap leaves room for long paths and extra columns. */
export const MAX_CSV_BYTES = 64 * 1024 * 1024

const megabytes = (bytes: number): string => `${Math.round(bytes / (1024 * 1024))} MB`

/** The bytes of a CSV file, or BAD_INPUT naming it: missing, unreadable, not a file, or over the cap. */
export function readCsvFile(file: string): Buffer {
  try {
    const stats = statSync(file)
    if (!stats.isFile()) throw new TagsmithError('BAD_INPUT', `${file} is not a file`)
    if (stats.size > MAX_CSV_BYTES) {
      throw new TagsmithError(
        'BAD_INPUT',
        `${basename(file)} is ${megabytes(stats.size)}; Tagsmith imports CSV files up to ${megabytes(MAX_CSV_BYTES)} (${file})`,
      )
    }
    return readFileSync(file)
  } catch (err) {
    if (err instanceof TagsmithError) throw err
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : ''
    if (code === 'ENOENT') throw new TagsmithError('BAD_INPUT', `CSV file not found: ${file}`)
    throw new TagsmithError('BAD_INPUT', `cannot read CSV file ${file} (${code || String(err)})`)
  }
}
