// Recently opened projects, newest first, kept in a small JSON file in the user's config folder.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { RecentProject } from '../../../src-preload/contract.ts'

const MAX_RECENT = 12

export class RecentProjects {
  readonly file: string

  constructor(configDir: string) {
    this.file = join(configDir, 'recent-projects.json')
  }

  /** The list, dropping projects that no longer exist on disk. */
  list(): RecentProject[] {
    return this.#read().filter((entry) => existsSync(entry.file))
  }

  add(projectFile: string, at = new Date()): void {
    const file = resolve(projectFile)
    const rest = this.#read().filter((entry) => entry.file !== file)
    this.#write([{ file, openedAt: at.toISOString() }, ...rest].slice(0, MAX_RECENT))
  }

  #read(): RecentProject[] {
    let parsed: unknown
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'))
    } catch {
      // Missing or damaged: start afresh rather than refuse to start.
      return []
    }
    if (!Array.isArray(parsed)) return []
    return parsed.filter(isRecent)
  }

  #write(entries: RecentProject[]): void {
    mkdirSync(dirname(this.file), { recursive: true })
    const tmp = `${this.file}.${process.pid}.tmp`
    writeFileSync(tmp, JSON.stringify(entries, null, 2) + '\n')
    renameSync(tmp, this.file)
  }
}

function isRecent(value: unknown): value is RecentProject {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return typeof entry.file === 'string' && typeof entry.openedAt === 'string'
}
