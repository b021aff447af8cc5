// Images sent as bytes (web mode knows no paths; a dropped file in a browser) are written under the images
// folder's `added/` before they are added like any file there. Names are cleaned, never overwritten.
import { mkdirSync, writeFileSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { InputFile } from './add-inputs.ts'

export interface Upload {
  /** The file's name; '/' keeps a dropped folder's layout under added/ (so folder names can label it). */
  name: string
  dataBase64: string
}

/** One uploaded file at most this large: the size of a very large photo, well under a message's limit. */
export const MAX_UPLOAD_BYTES = 40 * 1024 * 1024

export const UPLOAD_FOLDER = 'added'

/** A name's path parts, each made safe: no '..', no hidden files, no separators or control characters. */
export function cleanUploadName(name: string): string[] {
  const parts = name
    .split(/[\\/]+/)
    .map((p) => [...p].map((ch) => (ch.charCodeAt(0) < 32 || '<>:"|?*'.includes(ch) ? '_' : ch)).join(''))
    .map((p) => p.replace(/^[.\s]+/, '').trim())
    .filter((p) => p !== '')
  return parts.length > 0 ? parts : ['image']
}

/**
 * Writes each upload under `<imagesDir>/added/` with its cleaned name, adding -2, -3 … before the extension
 * when the name is taken on disk, by a row of the project (`taken`, relative paths) or by an earlier upload.
 * Returns where each went, in order.
 */
export function writeUploads(imagesDir: string, uploads: ReadonlyArray<{ name: string; bytes: Buffer }>, taken: ReadonlySet<string>): InputFile[] {
  const used = new Set(taken)
  return uploads.map(({ name, bytes }) => {
    const parts = cleanUploadName(name)
    const file = parts.pop() as string
    const ext = extname(file)
    const stem = file.slice(0, file.length - ext.length) || 'image'
    const folder = [UPLOAD_FOLDER, ...parts].join('/')
    mkdirSync(join(imagesDir, folder), { recursive: true })
    for (let n = 1; ; n++) {
      const rel = `${folder}/${n === 1 ? stem : `${stem}-${n}`}${ext}`
      if (used.has(rel)) continue
      const abs = join(imagesDir, rel)
      try {
        writeFileSync(abs, bytes, { flag: 'wx' })
      } catch (err) {
        if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'EEXIST') continue
        throw err
      }
      used.add(rel)
      return { rel, abs }
    }
  })
}
