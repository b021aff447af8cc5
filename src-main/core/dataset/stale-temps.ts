// An import builds its project in `<project>.<pid>.<hex>.tmp` and renames it at the end; an import
// killed on the way leaves that file behind. The next import beside it removes those whose process
// is gone (a live one may be another import still running).
import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { removeQuietly } from './atomic-write.ts'

export function tempFileFor(projectFile: string, pid: number, hex: string): string {
  return `${projectFile}.${pid}.${hex}.tmp`
}

/** True while a process with this id exists (EPERM: it exists, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return typeof err === 'object' && err !== null && 'code' in err && err.code === 'EPERM'
  }
}

/** Removes the temp files (and their -wal/-shm/-journal) of earlier imports of `projectFile` whose process died. */
export function sweepStaleTemps(projectFile: string): string[] {
  const dir = dirname(projectFile)
  const prefix = `${basename(projectFile)}.`
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const name of names) {
    if (!name.startsWith(prefix)) continue
    const match = /^(\d+)\.[0-9a-f]+\.tmp(-wal|-shm|-journal)?$/.exec(name.slice(prefix.length))
    const pid = Number(match?.[1])
    if (!match || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue
    removeQuietly(join(dir, name))
    removed.push(name)
  }
  return removed
}
