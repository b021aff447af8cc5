// Real unwritable and full file systems for the project-file cases: a small tmpfs mounted (as root, where
// the kernel allows it), filled to the last byte or remounted read-only. Elsewhere a read-only folder
// falls back to chmod (which root ignores), and "disk full" to SQLite's max_page_count.
import { spawnSync } from 'node:child_process'
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export interface Mounted {
  dir: string
  readOnly(): void
  /** Writes a filler file until the file system has no byte left. */
  fill(): string
  unmount(): void
}

/** A tmpfs of `kb` kilobytes at `dir`, or null where mounting is not allowed (not root, no CAP_SYS_ADMIN). */
export function mountTmpfs(dir: string, kb: number): Mounted | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return null
  mkdirSync(dir, { recursive: true })
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k,mode=0755`, 'tmpfs', dir]).status !== 0) return null
  let mounted = true
  return {
    dir,
    readOnly: () => {
      const r = spawnSync('mount', ['-o', 'remount,ro', dir])
      if (r.status !== 0) throw new Error(`cannot remount ${dir} read-only: ${r.stderr.toString()}`)
    },
    fill: () => {
      const filler = join(dir, 'filler.bin')
      const fd = openSync(filler, 'w')
      const block = Buffer.alloc(4096, 1)
      try {
        for (;;) writeSync(fd, block)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      }
      // Then byte by byte, so not even a partial page is left.
      try {
        for (;;) writeSync(fd, block, 0, 1)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err
      } finally {
        closeSync(fd)
      }
      return filler
    },
    unmount: () => {
      if (!mounted) return
      mounted = false
      spawnSync('umount', ['-l', dir])
    },
  }
}

export const mountUnavailable = 'mounting a tmpfs needs root on Linux (CAP_SYS_ADMIN)'
