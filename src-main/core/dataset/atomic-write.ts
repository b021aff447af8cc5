import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'
import { TagsmithError } from '../errors.ts'

/** Writes a temp file beside the target, fsyncs it, then renames it over the target. */
export function writeFileAtomic(target: string, data: Uint8Array): void {
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  let fd: number
  try {
    fd = openSync(tmp, 'wx')
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `cannot write ${target} (${codeOf(err)})`)
  }
  try {
    let written = 0
    while (written < data.length) written += writeSync(fd, data, written, data.length - written)
    fsyncSync(fd)
    closeSync(fd)
    renameSync(tmp, target)
  } catch (err) {
    try {
      closeSync(fd)
    } catch {
      // already closed
    }
    removeQuietly(tmp)
    throw new TagsmithError('BAD_INPUT', `cannot write ${target} (${codeOf(err)})`)
  }
  fsyncDir(dirname(target))
}

/** Makes a rename durable; some platforms cannot open folders, which is fine to skip. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r')
    try {
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
  } catch {
    // not supported here
  }
}

export function removeQuietly(file: string): void {
  try {
    unlinkSync(file)
  } catch {
    // already gone
  }
}

function codeOf(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err) return String(err.code)
  return err instanceof Error ? err.message : String(err)
}
