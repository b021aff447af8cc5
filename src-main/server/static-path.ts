// Maps a request path onto a file inside the UI folder, refusing anything that could leave it:
// `..` or `.` segments (raw or percent-encoded), backslashes, NUL, and symlinks pointing outside.
import { realpathSync, statSync } from 'node:fs'
import { isAbsolute, join, relative, sep } from 'node:path'

export type StaticLookup = { kind: 'file'; file: string } | { kind: 'refused' } | { kind: 'missing' }

export function lookupStatic(root: string, rawPath: string): StaticLookup {
  if (!rawPath.startsWith('/') || /%(00|2f|5c)|\\/i.test(rawPath)) return { kind: 'refused' }
  let decoded: string
  try {
    decoded = decodeURIComponent(rawPath)
  } catch {
    return { kind: 'refused' }
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' }
  const segments = decoded.split('/').slice(1)
  if (segments.some((s) => s === '..' || s === '.')) return { kind: 'refused' }
  const relativePath = segments.join('/') || 'index.html'
  const candidate = join(root, relativePath)
  if (!inside(root, candidate)) return { kind: 'refused' }
  let real: string
  try {
    real = realpathSync(candidate)
    if (!inside(realpathSync(root), real)) return { kind: 'refused' }
    if (!statSync(real).isFile()) return { kind: 'missing' }
  } catch {
    return { kind: 'missing' }
  }
  return { kind: 'file', file: real }
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file)
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel)
}
