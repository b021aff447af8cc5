import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { openDatabase, type Database } from '../db/open.ts'
import { projectFileError } from '../db/errors.ts'
import { TagsmithError } from '../errors.ts'
import { parseSource, type ParsedSource } from './csv-source.ts'
import { readCsvFile } from './csv-file.ts'
import { sweepStaleTemps, tempFileFor } from './stale-temps.ts'
import { fsyncDir, removeQuietly } from './atomic-write.ts'
import { indexImages, type IndexedImage } from './image-index.ts'
import { resolveImagePath, type ResolvedPath } from './image-paths.ts'
import { inferSplit } from './split.ts'
import type { FlaggedRow, ImageStatus, ImportReport, Split } from './types.ts'

export interface ImportOptions {
  csvs: string[]
  /** Folder the image paths resolve against; default: each CSV's own folder. */
  imagesDir?: string
  /** Default: dataset.tagsmith beside the first CSV. */
  projectFile?: string
  /** Replace an existing project file instead of refusing. */
  replace?: boolean
  onProgress?: (p: { done: number; total: number }) => void
  signal?: AbortSignal
}

export const DEFAULT_PROJECT_NAME = 'dataset.tagsmith'

interface PlannedRow {
  sourceIndex: number
  rowIndex: number
  resolved: ResolvedPath
  split: Split
}

/**
 * Reads and checks every CSV, indexes the images, and writes a new project file. Any bad input
 * throws before a project file exists; the database is built in a temp file and renamed at the end.
 */
export async function importCsvs(options: ImportOptions): Promise<{ file: string; report: ImportReport }> {
  if (options.csvs.length === 0) throw new TagsmithError('BAD_INPUT', 'no CSV file given')
  const csvs = options.csvs.map((c) => resolve(c))
  const firstCsv = csvs[0] as string
  const projectFile = resolve(options.projectFile ?? join(dirname(firstCsv), DEFAULT_PROJECT_NAME))
  if (existsSync(projectFile) && !options.replace) {
    throw new TagsmithError('CONFLICT', `project file ${projectFile} already exists; open it, or choose to replace it`)
  }

  if (options.imagesDir !== undefined) checkImagesDir(resolve(options.imagesDir))
  const sources = csvs.map(readSource)
  const labels = checkSameLabels(sources)
  checkDistinctNames(sources)
  const planned = planRows(sources, options.imagesDir)
  checkNoDuplicatePaths(sources, planned)

  const readable = planned.filter((p) => p.resolved.inside)
  const indexed = await indexImages(
    readable.map((p) => (p.resolved.inside ? p.resolved.abs : '')),
    { onProgress: options.onProgress, signal: options.signal },
  )
  const byRow = new Map<PlannedRow, IndexedImage>()
  readable.forEach((p, i) => byRow.set(p, indexed[i] as IndexedImage))
  if (options.signal?.aborted) throw new TagsmithError('CANCELLED', 'import cancelled')
  storeProject(projectFile, options.replace ?? false, (db) => writeProject(db, sources, labels, planned, byRow, options.imagesDir))
  return { file: projectFile, report: buildReport(projectFile, sources, labels, planned, byRow) }
}

export interface IndexedSources {
  projectFile: string
  replace: boolean
  /** CSVs built in memory, with the paths they would have in imagesDir. */
  sources: ParsedSource[]
  imagesDir: string
  /** Every row's image, already indexed, by absolute path. */
  indexed: ReadonlyMap<string, IndexedImage>
  /** Project settings to store with the rows (key -> JSON value). */
  settings: Record<string, unknown>
}

/** Writes a new project from sources whose images were indexed before (a folder import builds both). */
export function importIndexedSources(input: IndexedSources): ImportReport {
  const labels = checkSameLabels(input.sources)
  checkDistinctNames(input.sources)
  const planned = planRows(input.sources, input.imagesDir)
  checkNoDuplicatePaths(input.sources, planned)
  const byRow = new Map<PlannedRow, IndexedImage>()
  for (const p of planned) {
    const idx = p.resolved.inside ? input.indexed.get(p.resolved.abs) : undefined
    if (idx) byRow.set(p, idx)
  }
  storeProject(input.projectFile, input.replace, (db) => {
    writeProject(db, input.sources, labels, planned, byRow, input.imagesDir)
    const insert = db.prepare('INSERT INTO settings (key, json) VALUES (?, ?)')
    for (const [key, value] of Object.entries(input.settings)) insert.run(key, JSON.stringify(value))
  })
  return buildReport(input.projectFile, input.sources, labels, planned, byRow)
}

/** Builds the project in a temp file beside projectFile and renames it into place once complete. */
function storeProject(projectFile: string, replace: boolean, write: (db: Database) => void): void {
  sweepStaleTemps(projectFile)
  const tmp = tempFileFor(projectFile, process.pid, randomBytes(4).toString('hex'))
  try {
    const db = openDatabase(tmp)
    try {
      db.pragma('synchronous = OFF') // a temp file: durability comes from the fsync before rename
      write(db)
    } finally {
      db.close()
    }
    const fd = openSync(tmp, 'r+')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    if (replace) for (const suffix of ['-wal', '-shm']) removeQuietly(projectFile + suffix)
    renameSync(tmp, projectFile)
    fsyncDir(dirname(projectFile))
  } catch (err) {
    // Disk full, read-only folder: say it of the project file the user asked for, not the temp file.
    throw projectFileError(err, projectFile)
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) removeQuietly(tmp + suffix)
  }
}

/** A named images folder must exist: otherwise every row would be reported as "file not found". */
function checkImagesDir(dir: string): void {
  const stats = statSync(dir, { throwIfNoEntry: false })
  if (!stats) throw new TagsmithError('BAD_INPUT', `images folder not found: ${dir}`)
  if (!stats.isDirectory()) throw new TagsmithError('BAD_INPUT', `images folder is not a folder: ${dir}`)
}

function readSource(file: string): ParsedSource {
  return parseSource(file, readCsvFile(file))
}

/** Every file must carry the same label columns; order may differ and is taken from the first. */
function checkSameLabels(sources: ParsedSource[]): string[] {
  const first = sources[0] as ParsedSource
  for (const other of sources.slice(1)) {
    const missing = first.labels.filter((l) => !other.labels.includes(l))
    const extra = other.labels.filter((l) => !first.labels.includes(l))
    if (missing.length || extra.length) {
      const parts = [
        missing.length ? `missing ${missing.map((l) => JSON.stringify(l)).join(', ')}` : '',
        extra.length ? `extra ${extra.map((l) => JSON.stringify(l)).join(', ')}` : '',
      ].filter(Boolean)
      throw new TagsmithError(
        'BAD_INPUT',
        `${other.name} line 1: label columns differ from ${first.name} (${parts.join('; ')})`,
      )
    }
  }
  return first.labels
}

function checkDistinctNames(sources: ParsedSource[]): void {
  const seen = new Map<string, string>()
  for (const s of sources) {
    const earlier = seen.get(s.name)
    if (earlier !== undefined) {
      throw new TagsmithError('BAD_INPUT', `two CSV files share the name ${s.name} (${earlier} and ${s.file}); exports would collide`)
    }
    seen.set(s.name, s.file)
  }
}

function planRows(sources: ParsedSource[], imagesDir: string | undefined): PlannedRow[] {
  const planned: PlannedRow[] = []
  sources.forEach((source, sourceIndex) => {
    const dir = resolve(imagesDir ?? dirname(source.file))
    const split = inferSplit(source.name)
    source.rows.forEach((row, rowIndex) => {
      planned.push({ sourceIndex, rowIndex, resolved: resolveImagePath(row.path, dir), split })
    })
  })
  return planned
}

function checkNoDuplicatePaths(sources: ParsedSource[], planned: PlannedRow[]): void {
  const seen = new Map<string, PlannedRow>()
  for (const p of planned) {
    const key = p.resolved.inside ? p.resolved.abs : `outside:${p.resolved.rel}`
    const earlier = seen.get(key)
    if (earlier) {
      const source = sources[p.sourceIndex] as ParsedSource
      const row = source.rows[p.rowIndex]
      const first = sources[earlier.sourceIndex] as ParsedSource
      const firstRow = first.rows[earlier.rowIndex]
      throw new TagsmithError(
        'BAD_INPUT',
        `${source.name} line ${row?.line}, column ${source.imageColumn + 1} (image): duplicate image path ${JSON.stringify(row?.path)} (also ${first.name} line ${firstRow?.line})`,
      )
    }
    seen.set(key, p)
  }
}

function writeProject(
  db: Database,
  sources: ParsedSource[],
  labels: string[],
  planned: PlannedRow[],
  byRow: Map<PlannedRow, IndexedImage>,
  imagesDir: string | undefined,
): void {
  const now = new Date().toISOString()
  const insertSource = db.prepare(
    `INSERT INTO sources (id, position, name, path, images_dir, bom, delimiter, line_ending, header_raw, tail,
       columns, index_column, image_column, label_columns, path_style, value_style, written_hash, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertLabel = db.prepare('INSERT INTO labels (id, name, position) VALUES (?, ?, ?)')
  const insertImage = db.prepare(
    `INSERT INTO images (id, source_id, row_number, line, index_raw, path, rel, split, status, reason, hash, bytes, raw)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  // One statement per image for all its cells: far fewer calls than one per cell.
  const insertCells = db.prepare(
    `INSERT INTO image_labels (image_id, label_id, value, orig, cell_start, cell_end) VALUES ${labels
      .map(() => '(?, ?, ?, ?, ?, ?)')
      .join(', ')}`,
  )
  db.transaction(() => {
    labels.forEach((name, position) => insertLabel.run(position + 1, name, position))
    // Column of each project label in each file (files may order their label columns differently).
    const fileIndexOfLabel = sources.map((s) => labels.map((l) => s.labels.indexOf(l)))
    sources.forEach((s, position) => {
      insertSource.run(
        position + 1, position, s.name, s.file, resolve(imagesDir ?? dirname(s.file)), s.bom ? 1 : 0, s.delimiter,
        s.lineEnding, s.headerRaw, s.tail, s.columns, s.indexColumn, s.imageColumn,
        JSON.stringify(labels.map((l) => s.labelColumns[s.labels.indexOf(l)])), s.pathStyle,
        JSON.stringify(s.valueStyle), s.hash, now,
      )
    })
    planned.forEach((p, i) => {
      const id = i + 1
      const source = sources[p.sourceIndex] as ParsedSource
      const row = source.rows[p.rowIndex]
      if (!row) return
      const idx = byRow.get(p)
      const status: ImageStatus = p.resolved.inside ? (idx?.status ?? 'missing') : 'outside'
      const reason = p.resolved.inside ? (idx?.reason ?? null) : p.resolved.reason
      insertImage.run(
        id, p.sourceIndex + 1, p.rowIndex, row.line, row.indexRaw, row.path, p.resolved.rel, p.split, status,
        reason, idx?.hash ?? null, idx?.bytes ?? null, row.raw,
      )
      const mapping = fileIndexOfLabel[p.sourceIndex] as number[]
      const params: Array<number | null> = []
      for (let l = 0; l < labels.length; l++) {
        const k = mapping[l] as number
        const value = row.values[k] ?? null
        const span = row.spans[k] as [number, number]
        params.push(id, l + 1, value, value, span[0], span[1])
      }
      insertCells.run(params)
    })
  })()
}

function buildReport(
  projectFile: string,
  sources: ParsedSource[],
  labels: string[],
  planned: PlannedRow[],
  byRow: Map<PlannedRow, IndexedImage>,
): ImportReport {
  const splits: Record<Split, number> = { train: 0, val: 0, test: 0 }
  const counts = { missing: 0, corrupt: 0, outside: 0 }
  const flagged: FlaggedRow[] = []
  for (const p of planned) {
    splits[p.split]++
    const source = sources[p.sourceIndex] as ParsedSource
    const row = source.rows[p.rowIndex]
    const idx = byRow.get(p)
    const status: ImageStatus = p.resolved.inside ? (idx?.status ?? 'missing') : 'outside'
    if (status === 'ok') continue
    counts[status]++
    const reason = (p.resolved.inside ? idx?.reason : p.resolved.reason) ?? status
    flagged.push({ source: source.name, line: row?.line ?? 0, path: row?.path ?? '', status, reason })
  }
  return { project: projectFile, rows: planned.length, labels, splits, ...counts, flagged }
}

export function defaultProjectFile(firstCsv: string): string {
  return join(dirname(resolve(firstCsv)), DEFAULT_PROJECT_NAME)
}
