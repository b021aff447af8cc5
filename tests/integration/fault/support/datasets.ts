// Real datasets and project files for the crash tests: rows of the apparel fixture, with its image
// folder linked (never written through), imported into a pristine project that each trial copies.
import Database from 'better-sqlite3'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Project } from '../../../../src-main/core/dataset/project.ts'
import { repoRoot } from './child.ts'

export const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures')
export const apparelDir = (): string => join(fixturesDir(), 'apparel-mini')

/** A temp folder and its removal (the caller removes it in afterAll). */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), `tagsmith-fault-${prefix}-`))
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** train.csv with the first `rows` apparel rows in `dir`, the image folder linked beside it. */
export function apparelCsv(dir: string, rows: number): string {
  const lines = readFileSync(join(apparelDir(), 'train.csv'), 'utf8').split('\n')
  const csv = join(dir, 'train.csv')
  writeFileSync(csv, `${lines.slice(0, rows + 1).join('\n')}\n`)
  symlinkSync(join(apparelDir(), 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  return csv
}

/** A project imported from `rows` apparel rows; returns its file. */
export async function apparelProject(dir: string, rows: number, name = 'pristine.tagsmith'): Promise<string> {
  const csv = apparelCsv(dir, rows)
  const projectFile = join(dir, name)
  const { project } = await Project.importCsvs({ csvs: [csv], projectFile })
  project.close()
  return projectFile
}

/** PRAGMA integrity_check and foreign_key_check on the raw file, before anything else opens it. */
export function checkSqliteFile(file: string): { integrity: string; foreignKeyViolations: number } {
  const db = new Database(file)
  try {
    return {
      integrity: String(db.pragma('integrity_check', { simple: true })),
      foreignKeyViolations: (db.pragma('foreign_key_check') as unknown[]).length,
    }
  } finally {
    db.close()
  }
}
