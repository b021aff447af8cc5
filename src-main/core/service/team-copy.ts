// Where a team server keeps its working copy of a shared store: a project file under the config folder,
// one folder per database (named by a hash of its address without the password), so thumbnails and the
// feature cache beside it outlive a restart. A second server on this machine for the same database gets
// its own folder: each holds a lock file with its process id, and a dead process's lock is taken over.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface WorkingCopy {
  /** The project file to open. */
  file: string
  /** Gives the folder back (removes the lock). */
  release(): void
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes `dir`'s lock when free (or held by a process that is gone). */
function tryLock(lock: string): boolean {
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' })
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  const holder = Number(readFileSync(lock, 'utf8').trim())
  // Held by a live process (this one included: two servers in one process get two copies).
  if (Number.isSafeInteger(holder) && holder > 0 && alive(holder)) return false
  rmSync(lock, { force: true })
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' })
    return true
  } catch {
    return false // another server took it in between
  }
}

export function claimWorkingCopy(configDir: string, location: string): WorkingCopy {
  const base = createHash('sha256').update(location).digest('hex').slice(0, 16)
  for (let n = 1; ; n++) {
    const dir = join(configDir, 'team', n === 1 ? base : `${base}-${n}`)
    mkdirSync(dir, { recursive: true })
    const lock = join(dir, 'server.lock')
    if (tryLock(lock)) return { file: join(dir, 'project.tagsmith'), release: () => rmSync(lock, { force: true }) }
  }
}
