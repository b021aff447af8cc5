import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openDatabase, type Database } from '../db/open.ts'
import { projectFileError } from '../db/errors.ts'
import { TagsmithError } from '../errors.ts'
import { writeFileAtomic } from './atomic-write.ts'
import { EditLog } from './edits.ts'
// Loaded for its registration: a project can undo and redo an add of images in any process that opens it.
import './add-rows.ts'
import { buildCsvBytes, changedOnDisk, makeExportFolder, sha256 } from './export.ts'
import { importCsvs, type ImportOptions } from './import.ts'
import { computeStats } from './stats.ts'
import {
  SPLITS,
  type ChangeSummary,
  type DatasetStats,
  type ImageRecord,
  type ImageStatus,
  type ImportReport,
  type LabelValue,
  type Split,
} from './types.ts'

export type * from './types.ts'
export { SPLITS } from './types.ts'
export type { ImportOptions } from './import.ts'

/** An image's own columns as selected by IMAGE_COLUMNS; its label cells are read apart. */
export interface ImageColumns {
  id: number
  path: string
  source: string
  line: number
  split: Split
  status: ImageStatus
  hash: string | null
  bytes: number | null
}

export interface ExportOptions {
  /** Overwrite an original CSV even if it changed on disk since it was imported or last exported. */
  force?: boolean
}

function changedError(files: string[]): TagsmithError {
  return new TagsmithError(
    'CONFLICT',
    `${files.join(', ')} changed on disk since Tagsmith last read or wrote ${files.length > 1 ? 'them' : 'it'}; ` +
      'export to another folder, or overwrite anyway',
  )
}

const IMAGE_COLUMNS = `i.id, i.path, s.name AS source, i.line, i.split, i.status, i.hash, i.bytes`

/**
 * Where each label's value sits in a string of values read in label id order, by label position; null when
 * ids and positions agree (no label was moved or added out of order), the common case that needs no reorder.
 */
function positionOrder(db: Database): number[] | null {
  return positionOrderOf(db.prepare('SELECT id FROM labels ORDER BY position').pluck().all() as number[])
}

/** positionOrder from the label ids in position order (any engine). */
export function positionOrderOf(ids: number[]): number[] | null {
  const byId = [...ids].sort((a, b) => a - b)
  const order = ids.map((id) => byId.indexOf(id))
  return order.every((k, p) => k === p) ? null : order
}

/** Records from image rows plus one '0'/'1'/'-' string of label values per image (in label id order). */
export function withCells(rows: ImageColumns[], cells: Array<[number, string, number]>, order: number[] | null): ImageRecord[] {
  const byId = new Map<number, ImageRecord>()
  const records = rows.map((r) => {
    const rec: ImageRecord = { ...r, labels: [], edited: false }
    byId.set(r.id, rec)
    return rec
  })
  for (const [id, values, edited] of cells) {
    const rec = byId.get(id)
    if (!rec) continue
    const inIdOrder = Array.from(values, (c): LabelValue => (c === '1' ? 1 : c === '0' ? 0 : null))
    rec.labels = order === null ? inIdOrder : order.map((k) => inIdOrder[k] ?? null)
    rec.edited = edited > 0
  }
  return records
}

/** One project file: the imported CSVs, their labels, the image index and the edit log. */
export class Project {
  readonly imagesDir: string
  /** Label edits, undo, redo and history: callers use the log itself. */
  readonly edits: EditLog

  private constructor(
    readonly file: string,
    readonly db: Database,
  ) {
    const labels = db.prepare('SELECT id, name FROM labels ORDER BY position').all() as Array<{ id: number; name: string }>
    const dir = db.prepare('SELECT images_dir FROM sources ORDER BY position LIMIT 1').pluck().get() as string | undefined
    if (labels.length === 0 || dir === undefined) {
      db.close()
      throw new TagsmithError('BAD_INPUT', `${file} holds no imported dataset`)
    }
    this.imagesDir = dir
    this.edits = new EditLog(db, labels)
  }

  static async importCsvs(opts: ImportOptions): Promise<{ project: Project; report: ImportReport }> {
    const { file, report } = await importCsvs(opts)
    return { project: Project.open(file), report }
  }

  static open(file: string): Project {
    const abs = resolve(file)
    if (!existsSync(abs)) throw new TagsmithError('NOT_FOUND', `project file not found: ${abs}`)
    const db = openDatabase(abs)
    try {
      return new Project(abs, db)
    } catch (err) {
      if (db.open) db.close()
      // A damaged page can first show up in these reads: say which file, not SQLite's words.
      throw projectFileError(err, abs)
    }
  }

  /** The label names in the app's order; read each time, as the label set may be edited (label-set.ts). */
  labels(): string[] {
    return this.db.prepare('SELECT name FROM labels ORDER BY position').pluck().all() as string[]
  }

  /** All rows, ordered by source file then line. */
  images(): ImageRecord[] {
    const rows = this.db
      .prepare(`SELECT ${IMAGE_COLUMNS} FROM images i JOIN sources s ON s.id = i.source_id ORDER BY s.position, i.row_number`)
      .all() as ImageColumns[]
    // One string per image ('0', '1', '-' for empty) is far cheaper than one row per cell.
    const cells = this.db
      .prepare(
        `SELECT image_id, group_concat(coalesce(value, '-'), '' ORDER BY label_id), sum(value IS NOT orig)
         FROM image_labels GROUP BY image_id`,
      )
      .raw()
      .all() as Array<[number, string, number]>
    return withCells(rows, cells, positionOrder(this.db))
  }

  /**
   * The rows of these ids in two queries, however many there are (a bulk edit's 100k rows as well as
   * one); ordered like images(), unknown ids left out.
   */
  imagesByIds(ids: readonly number[]): ImageRecord[] {
    if (ids.length === 0) return []
    const list = JSON.stringify(ids)
    const rows = this.db
      .prepare(
        `SELECT ${IMAGE_COLUMNS} FROM images i JOIN sources s ON s.id = i.source_id
         WHERE i.id IN (SELECT value FROM json_each(?)) ORDER BY s.position, i.row_number`,
      )
      .all(list) as ImageColumns[]
    const cells = this.db
      .prepare(
        `SELECT image_id, group_concat(coalesce(value, '-'), '' ORDER BY label_id), sum(value IS NOT orig)
         FROM image_labels WHERE image_id IN (SELECT value FROM json_each(?)) GROUP BY image_id`,
      )
      .raw()
      .all(list) as Array<[number, string, number]>
    return withCells(rows, cells, positionOrder(this.db))
  }

  image(id: number): ImageRecord | undefined {
    const row = this.db
      .prepare(`SELECT ${IMAGE_COLUMNS} FROM images i JOIN sources s ON s.id = i.source_id WHERE i.id = ?`)
      .get(id) as ImageColumns | undefined
    if (!row) return undefined
    const cells = this.db
      .prepare('SELECT c.value, c.orig FROM image_labels c JOIN labels l ON l.id = c.label_id WHERE c.image_id = ? ORDER BY l.position')
      .raw()
      .all(id) as Array<[LabelValue, LabelValue]>
    return { ...row, labels: cells.map((c) => c[0]), edited: cells.some((c) => c[0] !== c[1]) }
  }

  /** Finds a row by its path as written in the CSV, or by the normalised form ('/' separators, no './'). */
  findImage(path: string): ImageRecord | undefined {
    const normalised = path.replace(/\\/g, '/').replace(/^(\.\/)+/, '')
    const id = this.db
      .prepare('SELECT id FROM images WHERE path = ? UNION ALL SELECT id FROM images WHERE rel = ? LIMIT 1')
      .pluck()
      .get(path, normalised) as number | undefined
    return id === undefined ? undefined : this.image(id)
  }

  /** Absolute path of the image file for status 'ok', else null. */
  imagePath(id: number): string | null {
    const row = this.db
      .prepare('SELECT i.rel, i.status, s.images_dir FROM images i JOIN sources s ON s.id = i.source_id WHERE i.id = ?')
      .get(id) as { rel: string; status: ImageStatus; images_dir: string } | undefined
    if (!row || row.status !== 'ok') return null
    return resolve(row.images_dir, row.rel)
  }

  setSplit(imageIds: number[], split: Split): void {
    if (!SPLITS.includes(split)) throw new TagsmithError('BAD_INPUT', `split must be train, val or test, got ${JSON.stringify(split)}`)
    const update = this.db.prepare('UPDATE images SET split = ? WHERE id = ?')
    this.db.transaction(() => {
      for (const id of imageIds) {
        if (update.run(split, id).changes === 0) throw new TagsmithError('BAD_INPUT', `no image with id ${id}`)
      }
    })()
  }

  getSetting<T>(key: string): T | undefined {
    const json = this.db.prepare('SELECT json FROM settings WHERE key = ?').pluck().get(key) as string | undefined
    return json === undefined ? undefined : (JSON.parse(json) as T)
  }

  setSetting(key: string, value: unknown): void {
    if (value === undefined) {
      this.db.prepare('DELETE FROM settings WHERE key = ?').run(key)
      return
    }
    this.db
      .prepare('INSERT INTO settings (key, json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET json = excluded.json')
      .run(key, JSON.stringify(value))
  }

  changesSinceImport(): ChangeSummary {
    const rows = this.db
      .prepare('SELECT image_id, label_id, value FROM image_labels WHERE value IS NOT orig')
      .raw()
      .all() as Array<[number, number, LabelValue]>
    const names = this.db.prepare('SELECT id, name FROM labels').raw().all() as Array<[number, string]>
    const nameOf = new Map(names)
    // Counted in a Map and made an object with fromEntries (own data properties): a label may be
    // named __proto__ or constructor, which a plain object's assignment would lose or misread.
    const counts = new Map<string, { set: number; cleared: number }>(this.labels().map((name) => [name, { set: 0, cleared: 0 }]))
    const images = new Set<number>()
    for (const [imageId, labelId, value] of rows) {
      images.add(imageId)
      const entry = counts.get(nameOf.get(labelId) ?? '')
      if (!entry) continue
      if (value === 1) entry.set++
      else entry.cleared++
    }
    return { cells: rows.length, images: images.size, byLabel: Object.fromEntries(counts) }
  }

  /**
   * Writes every source CSV in its own layout: over the originals, or into outDir. Writing over an
   * original that changed on disk since we last read or wrote it is refused (CONFLICT) unless forced.
   */
  exportCsvs(outDir?: string, options: ExportOptions = {}): string[] {
    const names = this.db.prepare('SELECT name FROM sources ORDER BY position').pluck().all() as string[]
    const built = names.map((name) => ({ name, ...buildCsvBytes(this.db, name) }))
    if (outDir !== undefined) makeExportFolder(outDir)
    const targets = built.map((b) => (outDir === undefined ? b.path : resolve(join(outDir, b.name))))
    // Check every file before writing any, so a refusal leaves all of them as they were.
    if (!options.force) {
      const changed = built.filter((b, i) => targets[i] === b.path && changedOnDisk(b.path, b.writtenHash))
      if (changed.length) throw changedError(changed.map((b) => b.path))
    }
    return built.map((b, i) => this.write(b, targets[i] as string))
  }

  /** Writes one source CSV (by file name) to a new path. */
  exportCsvAs(source: string, outFile: string, options: ExportOptions = {}): string {
    const built = buildCsvBytes(this.db, source)
    const target = resolve(outFile)
    if (!options.force && target === built.path && changedOnDisk(target, built.writtenHash)) throw changedError([target])
    return this.write({ name: source, ...built }, target)
  }

  private write(built: { name: string; path: string; bytes: Buffer }, target: string): string {
    writeFileAtomic(target, built.bytes)
    if (target === built.path) {
      this.db.prepare('UPDATE sources SET written_hash = ? WHERE name = ?').run(sha256(built.bytes), built.name)
    }
    return target
  }

  stats(): DatasetStats {
    return computeStats(this.db, this.labels())
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
