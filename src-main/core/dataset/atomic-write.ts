import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'
import { dirname } from 'node:path'

/** Writes a temp file beside the target, fsyncs it, then renames it over the target. */
export function writeFileAtomic(target: string, data: Uint8Array): void {
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  const fd = openSync(tmp, 'wx')
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
    throw err
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
