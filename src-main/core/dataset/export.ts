import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Database } from '../db/open.ts'
import { TagsmithError } from '../errors.ts'
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
}

interface EditedCell {
  image_id: number
  value: LabelValue
  cell_start: number
  cell_end: number
}

/**
 * Rebuilds one CSV: untouched records verbatim, edited cells rewritten in the file's value style
 * (quoted if the original cell was), everything else byte for byte.
 */
export function buildCsvBytes(db: Database, sourceName: string): { bytes: Buffer; path: string; writtenHash: string } {
  const source = db
    .prepare('SELECT id, name, path, written_hash, bom, header_raw, tail, value_style FROM sources WHERE name = ?')
    .get(sourceName) as SourceRow | undefined
  if (!source) throw new TagsmithError('NOT_FOUND', `no source CSV named ${sourceName} in this project`)
  const style = JSON.parse(source.value_style) as ValueStyle
  const edits = db
    .prepare(
      // CROSS JOIN keeps image_labels outermost, so the partial index of edited cells is used.
      `SELECT il.image_id, il.value, il.cell_start, il.cell_end
       FROM image_labels il CROSS JOIN images i ON i.id = il.image_id
       WHERE il.value IS NOT il.orig AND i.source_id = ?
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
  const parts: string[] = [source.bom ? '\uFEFF' : '', source.header_raw]
  for (const [id, raw] of rows) {
    const cells = editsByImage.get(id)
    parts.push(cells ? rewriteCells(raw, cells, style) : raw)
  }
  parts.push(source.tail)
  return { bytes: Buffer.from(parts.join(''), 'utf8'), path: source.path, writtenHash: source.written_hash }
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
