// SQLite failures said in the user's terms, naming the project file, instead of SQLite's own words
// ("database disk image is malformed", "database or disk is full") answered as INTERNAL.
import { TagsmithError } from '../errors.ts'

/** The SQLite result code of an error thrown by better-sqlite3 (e.g. SQLITE_FULL), or '' for others. */
export function sqliteCodeOf(err: unknown): string {
  if (typeof err !== 'object' || err === null || !('code' in err)) return ''
  const code = (err as { code: unknown }).code
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : ''
}

/** Node's own file-system error code (ENOSPC, EROFS...), or ''. */
function fsCodeOf(err: unknown): string {
  if (typeof err !== 'object' || err === null || !('code' in err)) return ''
  const code = (err as { code: unknown }).code
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : ''
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

/**
 * A BAD_INPUT naming `file` for the SQLite (or file-system) failures a user can act on; any other
 * error is returned as it was.
 */
export function projectFileError(err: unknown, file: string): unknown {
  if (err instanceof TagsmithError) return err
  const code = sqliteCodeOf(err)
  const primary = code.replace(/^(SQLITE_[A-Z]+?)(_[A-Z_]+)?$/, '$1')
  const fsCode = fsCodeOf(err)
  if (primary === 'SQLITE_CORRUPT' || primary === 'SQLITE_NOTADB') {
    return new TagsmithError('BAD_INPUT', `${file} is damaged or not a Tagsmith project (${messageOf(err)})`)
  }
  if (primary === 'SQLITE_FULL' || fsCode === 'ENOSPC' || fsCode === 'EDQUOT') {
    return new TagsmithError('BAD_INPUT', `disk full while writing ${file}; nothing was changed`)
  }
  if (primary === 'SQLITE_READONLY' || fsCode === 'EROFS' || fsCode === 'EACCES' || fsCode === 'EPERM') {
    return new TagsmithError('BAD_INPUT', `cannot write ${file}: the file or its folder is read-only (${messageOf(err)})`)
  }
  if (primary === 'SQLITE_CANTOPEN') {
    return new TagsmithError('BAD_INPUT', `cannot open ${file}: ${messageOf(err)} (is its folder missing or read-only?)`)
  }
  return err
}
