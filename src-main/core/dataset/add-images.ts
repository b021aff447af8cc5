// Adding images to an open project: files and folders inside its images folder, or uploaded bytes written
// under `added/`. Each is read and checked first (not an image, cut off, already in the project, the same
// content twice: reported, never fatal); the rest become rows of one CSV in one undoable step.
import { createHash } from 'node:crypto'
import { TagsmithError } from '../errors.ts'
import { gatherInputs, type InputFile, type NamedReason } from './add-inputs.ts'
import { addedCellChanges } from './add-labels.ts'
import { ADD_KIND, insertAddedRows, type AddedRow } from './add-rows.ts'
import { chooseTarget } from './add-target.ts'
import { FOLDER_ROOT_SETTING } from './folder-plan.ts'
import { writeUploads, MAX_UPLOAD_BYTES, type Upload } from './add-uploads.ts'
import { missingEndMarker, readEnds } from './image-end.ts'
import { indexImages, sniffImage } from './image-index.ts'
import type { Project } from './project.ts'
import type { EditGroup, Split } from './types.ts'

export interface AddImagesOptions {
  /** Files or folders (searched recursively), absolute or relative to the images folder. */
  paths?: string[]
  uploads?: Upload[]
  split?: Split
  /** A source CSV's file name. */
  csv?: string
  /** Labels from each image's folder name: true for the whole name, a string to split it into several. */
  labelsFromFolders?: boolean | string
  /** Set on every added image; null leaves the cell empty. */
  cells?: Record<string, 0 | 1 | null>
  onProgress?: (p: { phase: string; done: number; total: number }) => void
  signal?: AbortSignal
  /** Who the step is recorded for (default: the project's author). */
  author?: string
}

export interface AddImagesReport {
  added: Array<{ id: number; rel: string }>
  duplicates: Array<{ name: string; existing: string }>
  skipped: NamedReason[]
  refused: NamedReason[]
  /** The recorded step, null when nothing was added. */
  group: EditGroup | null
  /** The CSV the rows went into, and whether the add made it. */
  csv: string
}

/** A file that passed every check: its path (or bytes, for an upload) and content hash. */
interface Accepted {
  name: string
  hash: string
  bytes: number
  file?: InputFile
  upload?: Buffer
}

const cancelled = (): TagsmithError => new TagsmithError('CANCELLED', 'adding images was cancelled')

export async function addImages(project: Project, options: AddImagesOptions): Promise<AddImagesReport> {
  const labels = project.labels()
  for (const name of Object.keys(options.cells ?? {})) {
    if (!labels.includes(name)) throw new TagsmithError('BAD_INPUT', `cells: no label named ${JSON.stringify(name)} in this project`)
  }
  if ((options.paths?.length ?? 0) + (options.uploads?.length ?? 0) === 0) throw new TagsmithError('BAD_INPUT', 'no image given to add')
  const target = chooseTarget(project.db, { csv: options.csv, split: options.split }, project.getSetting<string>(FOLDER_ROOT_SETTING))
  const imagesDir = target.source.images_dir

  const gathered = await gatherInputs(options.paths ?? [], imagesDir, options.signal)
  const skipped = [...gathered.skipped]
  const refused = [...gathered.refused]
  const duplicates: AddImagesReport['duplicates'] = []
  const total = gathered.files.length + (options.uploads?.length ?? 0)
  const indexed = await indexImages(
    gathered.files.map((f) => f.abs),
    { signal: options.signal, onProgress: (p) => options.onProgress?.({ phase: 'hashing images', done: p.done, total }) },
  )

  const candidates: Accepted[] = []
  for (const [i, file] of gathered.files.entries()) {
    const index = indexed[i]
    if (!index || index.status !== 'ok' || index.hash === null) {
      skipped.push({ name: file.rel, reason: index?.reason ?? 'cannot be read' })
      continue
    }
    const cut = await cutOff(file.abs)
    if (cut !== null) skipped.push({ name: file.rel, reason: cut })
    else candidates.push({ name: file.rel, hash: index.hash, bytes: index.bytes ?? 0, file })
  }
  for (const upload of options.uploads ?? []) {
    const checked = checkUpload(upload)
    if ('reason' in checked) skipped.push(checked)
    else candidates.push(checked)
  }
  if (options.signal?.aborted) throw cancelled()

  // Already in the project (the same file, or the same content elsewhere) or twice in this add.
  const byRel = new Map(
    (project.db.prepare('SELECT i.rel, i.path FROM images i JOIN sources s ON s.id = i.source_id WHERE s.images_dir = ?').raw().all(imagesDir) as Array<[string, string]>),
  )
  const byHash = project.db.prepare('SELECT path FROM images WHERE hash = ? LIMIT 1').pluck()
  const inThisAdd = new Map<string, string>()
  const accepted = candidates.filter((c) => {
    const existing = (c.file ? byRel.get(c.file.rel) : undefined) ?? (byHash.get(c.hash) as string | undefined) ?? inThisAdd.get(c.hash)
    if (existing !== undefined) {
      duplicates.push({ name: c.name, existing })
      return false
    }
    inThisAdd.set(c.hash, c.name)
    return true
  })

  const uploads = accepted.filter((a) => a.upload !== undefined)
  const written = writeUploads(imagesDir, uploads.map((a) => ({ name: a.name, bytes: a.upload as Buffer })), new Set(byRel.keys()))
  const uploaded = new Map(uploads.map((a, i) => [a, written[i] as InputFile]))
  const rows: AddedRow[] = accepted.map((a) => {
    const file = a.file ?? (uploaded.get(a) as InputFile)
    return { rel: file.rel, abs: file.abs, hash: a.hash, bytes: a.bytes }
  })
  options.onProgress?.({ phase: 'hashing images', done: total, total })
  if (rows.length === 0) return { added: [], duplicates, skipped, refused, group: null, csv: target.source.name }

  let added: Array<{ id: number; rel: string }> = []
  const group = project.edits.structural(ADD_KIND, () => {
    const inserted = insertAddedRows(project.db, target, rows)
    added = inserted.added
    return { detail: inserted.detail, changes: addedCellChanges(added, labels, options.labelsFromFolders ?? false, options.cells ?? {}) }
  }, options.author)
  return { added, duplicates, skipped, refused, group, csv: target.source.name }
}

function checkUpload(upload: Upload): Accepted | NamedReason {
  const bytes = Buffer.from(upload.dataBase64, 'base64')
  if (bytes.length > MAX_UPLOAD_BYTES) return { name: upload.name, reason: `larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB` }
  if (bytes.length === 0) return { name: upload.name, reason: 'empty file' }
  const format = sniffImage(bytes)
  if (format === null) return { name: upload.name, reason: 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image' }
  const cut = missingEndMarker(format, bytes.subarray(Math.max(0, bytes.length - 16)))
  if (cut !== null) return { name: upload.name, reason: cut }
  return { name: upload.name, hash: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, upload: bytes }
}

/** Why a file that looks like an image is cut off, or null when its end is there. */
async function cutOff(file: string): Promise<string | null> {
  const { head, tail } = await readEnds(file)
  const format = sniffImage(head)
  return format === null ? null : missingEndMarker(format, tail)
}
