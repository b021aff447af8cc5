// From the paths given to an add (files, folders) to the files it may add: each inside the images folder,
// links followed only where they stay inside it. Refusals name the path and say why; nothing is read but
// folder listings and link targets here.
import type { Dirent } from 'node:fs'
import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { TagsmithError } from '../errors.ts'

/** File name endings a folder's files are taken by (case-insensitive); a file named on its own is read whatever its name. */
export const ADDED_IMAGE_EXTENSIONS: readonly string[] = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif']

export interface NamedReason {
  name: string
  reason: string
}

export interface InputFile {
  /** Relative to the images folder, '/' separators. */
  rel: string
  abs: string
}

export interface GatheredInputs {
  files: InputFile[]
  refused: NamedReason[]
  skipped: NamedReason[]
}

export const isImageName = (name: string): boolean => ADDED_IMAGE_EXTENSIONS.includes(extname(name).toLowerCase())

const relOf = (root: string, abs: string): string => relative(root, abs).split(sep).join('/')

function insideOf(root: string, abs: string): boolean {
  const rel = relative(root, abs)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : String(err)
}

/** Every file the paths name or hold, each once, in the order given (a folder's files sorted by path). */
export async function gatherInputs(paths: readonly string[], imagesDir: string, signal?: AbortSignal): Promise<GatheredInputs> {
  const root = resolve(imagesDir)
  let realRoot: string
  try {
    realRoot = await realpath(root)
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `the images folder ${root} cannot be read (${codeOf(err)})`)
  }
  const out: GatheredInputs = { files: [], refused: [], skipped: [] }
  const seen = new Set<string>()
  const take = (abs: string): void => {
    if (seen.has(abs)) return
    seen.add(abs)
    out.files.push({ rel: relOf(root, abs), abs })
  }
  for (const given of paths) {
    if (signal?.aborted) throw new TagsmithError('CANCELLED', 'adding images was cancelled')
    const abs = resolve(root, given)
    if (!insideOf(root, abs)) {
      out.refused.push({ name: given, reason: `outside the images folder ${root}` })
      continue
    }
    let info
    try {
      info = await lstat(abs)
    } catch (err) {
      out.refused.push({ name: given, reason: codeOf(err) === 'ENOENT' ? 'not found' : `cannot be read (${codeOf(err)})` })
      continue
    }
    if (info.isSymbolicLink()) {
      const target = await linkTarget(abs, realRoot)
      if ('reason' in target) {
        out.refused.push({ name: given, reason: target.reason })
        continue
      }
      if (target.folder) await walk(abs, root, realRoot, out, take, signal)
      else take(abs)
    } else if (info.isDirectory()) await walk(abs, root, realRoot, out, take, signal)
    else if (info.isFile()) take(abs)
    else out.skipped.push({ name: given, reason: 'not a regular file' })
  }
  return out
}

/** Where a link leads, if inside the images folder. */
async function linkTarget(abs: string, realRoot: string): Promise<{ folder: boolean } | { reason: string }> {
  let target: string
  try {
    target = await realpath(abs)
  } catch {
    return { reason: 'link to nothing (its target is missing)' }
  }
  if (!insideOf(realRoot, target)) return { reason: `link leaves the images folder (to ${target})` }
  const info = await stat(target)
  if (info.isDirectory()) return { folder: true }
  if (!info.isFile()) return { reason: 'link to something that is not a regular file' }
  return { folder: false }
}

/**
 * A folder's image files, recursively. Hidden entries and files not named as images (the CSVs, the project
 * file) are passed over; links inside are followed to files only, so a loop of folder links ends.
 */
async function walk(
  dir: string,
  root: string,
  realRoot: string,
  out: GatheredInputs,
  take: (abs: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const found: string[] = []
  const pending = [dir]
  while (pending.length > 0) {
    if (signal?.aborted) throw new TagsmithError('CANCELLED', 'adding images was cancelled')
    const folder = pending.pop() as string
    let entries: Dirent[]
    try {
      entries = await readdir(folder, { withFileTypes: true })
    } catch (err) {
      out.skipped.push({ name: relOf(root, folder), reason: `cannot read this folder (${codeOf(err)})` })
      continue
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue
      const abs = join(folder, entry.name)
      if (entry.isDirectory()) pending.push(abs)
      else if (entry.isFile()) {
        if (isImageName(entry.name)) found.push(abs)
      } else if (entry.isSymbolicLink()) {
        const target = await linkTarget(abs, realRoot)
        if ('reason' in target) out.refused.push({ name: relOf(root, abs), reason: target.reason })
        else if (target.folder) out.skipped.push({ name: relOf(root, abs), reason: 'link to a folder; not followed (its images are found where they are)' })
        else if (isImageName(entry.name)) found.push(abs)
      }
    }
  }
  found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  for (const abs of found) take(abs)
}
