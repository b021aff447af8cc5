// "Rescan folder": every row's file is looked at again (gone: missing; back: read and checked again, as the
// import does), and the images folder is searched for image files no row names, which can then be added.
// Statuses are not edits: they change in one transaction, outside the undo history.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { TagsmithError } from '../errors.ts'
import { gatherInputs } from './add-inputs.ts'
import { indexOne, type IndexedImage } from './image-index.ts'
import type { Project } from './project.ts'
import type { ImageStatus } from './types.ts'

export interface RescanReport {
  /** Rows whose file was there before and is gone now. */
  missing: number
  /** Rows whose file was missing and is there again. */
  back: number
  /** Image files in the images folder that no row names (absolute paths, sorted), ready to add. */
  new: string[]
}

interface RowFile {
  id: number
  rel: string
  status: ImageStatus
  bytes: number | null
  images_dir: string
}

export interface RescanOptions {
  onProgress?: (p: { phase: string; done: number; total: number }) => void
  signal?: AbortSignal
}

export async function rescanProject(project: Project, options: RescanOptions = {}): Promise<RescanReport> {
  const rows = project.db
    .prepare(
      `SELECT i.id, i.rel, i.status, i.bytes, s.images_dir FROM images i JOIN sources s ON s.id = i.source_id
       WHERE i.status <> 'outside' ORDER BY i.id`,
    )
    .all() as RowFile[]
  const updates = new Map<number, IndexedImage>()
  let missing = 0
  let back = 0
  let done = 0
  let next = 0
  // A file still there with its size unchanged is taken as it was: only changed and returning files are read.
  const check = async (row: RowFile): Promise<void> => {
    const file = resolve(row.images_dir, row.rel)
    const size = await stat(file).then((s) => (s.isFile() ? s.size : -1), () => null)
    if (size === null) {
      if (row.status !== 'missing') {
        updates.set(row.id, { status: 'missing', reason: 'file not found', hash: null, bytes: null })
        missing++
      }
    } else if (row.status === 'missing' || size !== row.bytes) {
      const indexed = await indexOne(file)
      if (indexed.status !== row.status || indexed.bytes !== row.bytes) updates.set(row.id, indexed)
      if (row.status === 'missing' && indexed.status !== 'missing') back++
    }
  }
  const worker = async (): Promise<void> => {
    for (;;) {
      if (options.signal?.aborted) throw new TagsmithError('CANCELLED', 'the rescan was cancelled')
      const row = rows[next++]
      if (!row) return
      await check(row)
      done++
      options.onProgress?.({ phase: 'checking images', done, total: rows.length })
    }
  }
  await Promise.all(Array.from({ length: Math.min(16, Math.max(1, rows.length)) }, worker))

  const update = project.db.prepare('UPDATE images SET status = ?, reason = ?, hash = coalesce(?, hash), bytes = coalesce(?, bytes) WHERE id = ?')
  project.db.transaction(() => {
    for (const [id, u] of updates) update.run(u.status, u.reason, u.hash, u.bytes, id)
  })()

  const found: string[] = []
  const known = new Set(rows.map((r) => resolve(r.images_dir, r.rel)))
  const outside = project.db.prepare(`SELECT i.rel, s.images_dir FROM images i JOIN sources s ON s.id = i.source_id WHERE i.status = 'outside'`).all() as RowFile[]
  for (const r of outside) known.add(resolve(r.images_dir, r.rel))
  const dirs = [...new Set(project.db.prepare('SELECT images_dir FROM sources').pluck().all() as string[])]
  for (const dir of dirs) {
    const gathered = await gatherInputs([dir], dir, options.signal)
    for (const f of gathered.files) if (!known.has(f.abs)) found.push(f.abs)
  }
  return { missing, back, new: [...new Set(found)].sort() }
}
