import { isAbsolute, posix, relative, resolve, sep } from 'node:path'

export type ResolvedPath =
  | { inside: true; rel: string; abs: string }
  | { inside: false; rel: string; reason: string }

/**
 * Resolves a path as written in a CSV ('/' or '\', with or without './') against the images folder.
 * The check is lexical: a written path may not leave the folder, but symlinks inside it are followed
 * later when the file is read, because the user made them.
 */
export function resolveImagePath(written: string, imagesDir: string): ResolvedPath {
  const slashed = written.replace(/\\/g, '/')
  if (process.platform !== 'win32' && (/^[A-Za-z]:/.test(slashed) || slashed.startsWith('//'))) {
    return { inside: false, rel: slashed, reason: 'Windows drive or network path' }
  }
  const base = resolve(imagesDir)
  if (isAbsolute(slashed)) {
    const abs = resolve(slashed)
    const rel = relative(base, abs)
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      return { inside: false, rel: slashed, reason: 'absolute path outside the images folder' }
    }
    return { inside: true, rel: rel.split(sep).join('/'), abs }
  }
  const rel = posix.normalize(slashed)
  if (rel === '..' || rel.startsWith('../')) {
    return { inside: false, rel, reason: 'path leaves the images folder (..)' }
  }
  return { inside: true, rel, abs: resolve(base, rel) }
}
