// Finding the images of a folder for a new project: recursive, in a stable order, never following a link
// out of the folder. Nothing is read here but folder listings, so a preview of 100,000 files stays quick.
import type { Dirent } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { TagsmithError } from '../errors.ts'
import type { SkippedFile } from '../../../src-preload/contract.ts'

/** The file name endings taken as images (case-insensitive). */
export const IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif']

export interface FoundImage {
  /** Relative to the folder, '/' separators. */
  rel: string
  abs: string
}

export interface FolderScan {
  /** The folder as given, resolved; rows' paths are relative to it. */
  root: string
  /** Sorted by rel (UTF-16 code units, the same on every machine). */
  images: FoundImage[]
  skipped: SkippedFile[]
}

export interface ScanOptions {
  /** Called now and then with the number of entries looked at so far. */
  onProgress?: (seen: number) => void
  signal?: AbortSignal
}

const isImageName = (name: string): boolean => IMAGE_EXTENSIONS.includes(extname(name).toLowerCase())
const byPath = (a: { rel: string }, b: { rel: string }): number => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)
const bySkippedPath = (a: SkippedFile, b: SkippedFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)

/**
 * Lists every image under `dir`. Hidden entries (a leading '.', e.g. .DS_Store or .git) are passed over
 * silently; other files that are not images, links that leave the folder or lead nowhere, and links to
 * folders (whose images, if inside, are found where they are) are listed in `skipped` with a reason.
 */
export async function scanFolder(dir: string, options: ScanOptions = {}): Promise<FolderScan> {
  const root = await checkFolder(dir)
  const realRoot = await realpath(root)
  const images: FoundImage[] = []
  const skipped: SkippedFile[] = []
  let seen = 0
  let lastReport = 0
  const pending = [root]
  while (pending.length > 0) {
    if (options.signal?.aborted) throw new TagsmithError('CANCELLED', 'import cancelled')
    const folder = pending.pop() as string
    let entries: Dirent[]
    try {
      entries = await readdir(folder, { withFileTypes: true })
    } catch (err) {
      skipped.push({ path: relOf(root, folder), reason: `cannot read this folder (${codeOf(err)})` })
      continue
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const abs = join(folder, entry.name)
      const rel = relOf(root, abs)
      seen++
      if (entry.isDirectory()) pending.push(abs)
      else if (entry.isFile()) {
        if (isImageName(entry.name)) images.push({ rel, abs })
        else skipped.push({ path: rel, reason: 'not an image file (by its name)' })
      } else if (entry.isSymbolicLink()) {
        const found = await followLink(abs, rel, realRoot)
        if ('reason' in found) skipped.push(found)
        else images.push(found)
      } else skipped.push({ path: rel, reason: 'not a regular file' })
    }
    const now = performance.now()
    if (options.onProgress && now - lastReport > 100) {
      lastReport = now
      options.onProgress(seen)
    }
  }
  options.onProgress?.(seen)
  return { root, images: images.sort(byPath), skipped: skipped.sort(bySkippedPath) }
}

/** A link inside the folder is the user's own: a file it leads to inside the folder is an image. */
async function followLink(abs: string, rel: string, realRoot: string): Promise<FoundImage | SkippedFile> {
  let target: string
  try {
    target = await realpath(abs)
  } catch {
    return { path: rel, reason: 'link to nothing (its target is missing)' }
  }
  const inside = relative(realRoot, target)
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
    return { path: rel, reason: `link leaves the folder (to ${target}); not followed` }
  }
  const stats = await stat(target)
  if (stats.isDirectory()) return { path: rel, reason: 'link to a folder inside this folder; its images are found where they are' }
  if (!stats.isFile()) return { path: rel, reason: 'not a regular file' }
  if (!isImageName(rel)) return { path: rel, reason: 'not an image file (by its name)' }
  return { rel, abs }
}

/** The folder, resolved, or BAD_INPUT naming it. */
async function checkFolder(dir: string): Promise<string> {
  const absolute = resolve(dir)
  let stats
  try {
    stats = await stat(absolute)
  } catch (err) {
    const code = codeOf(err)
    throw new TagsmithError('BAD_INPUT', code === 'ENOENT' ? `folder not found: ${absolute}` : `cannot read the folder ${absolute} (${code})`)
  }
  if (!stats.isDirectory()) throw new TagsmithError('BAD_INPUT', `not a folder: ${absolute}`)
  return absolute
}

const relOf = (root: string, abs: string): string => relative(root, abs).split(sep).join('/')

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : String(err)
}
