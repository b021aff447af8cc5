// "Nothing stored changed": every row of every table of a project file, and every file of a folder
// (name and content hash), taken before and after a bad input.
import Database from 'better-sqlite3'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'

/** All rows of all tables, in a stable order, as one string. */
export function tables(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]
    const out: Record<string, unknown[]> = {}
    for (const name of names) {
      const rows = db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).raw().all() as unknown[][]
      out[name] = rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v))).sort()
    }
    out.user_version = [db.pragma('user_version', { simple: true })]
    return JSON.stringify(out)
  } finally {
    db.close()
  }
}

/** sha256 of a file's bytes, or null when it does not exist. */
export function bytesOf(file: string): string | null {
  if (!existsSync(file)) return null
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/** name -> content hash (or link target) of everything under dir, links not followed. */
export function tree(dir: string, skip: (name: string) => boolean = () => false): Record<string, string> {
  const out: Record<string, string> = {}
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const path = join(rel, name)
      if (skip(path)) continue
      const stats = lstatSync(join(dir, path))
      if (stats.isSymbolicLink()) out[path] = `-> ${readlinkSync(join(dir, path))}`
      else if (stats.isDirectory()) walk(path)
      else out[path] = bytesOf(join(dir, path)) ?? ''
    }
  }
  walk('')
  return out
}
