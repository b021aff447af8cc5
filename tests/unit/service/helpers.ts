import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { Service, type ServiceOptions } from '../../../src-main/core/service/index.ts'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
export const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures')
export const apparelDir = (): string => join(fixturesDir(), 'apparel-mini')

const cleanups: Array<() => void> = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-service-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/**
 * A dataset folder holding the first `rows` rows of the apparel train.csv; the image folder is a
 * symlink to the read-only fixture (never written through: thumbnails go beside the project file).
 */
export function apparelSubset(rows = 24): { dir: string; csv: string } {
  const dir = tempDir()
  const lines = readFileSync(join(apparelDir(), 'train.csv'), 'utf8').split('\n')
  const csv = join(dir, 'train.csv')
  writeFileSync(csv, `${lines.slice(0, rows + 1).join('\n')}\n`)
  symlinkSync(join(apparelDir(), 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  return { dir, csv }
}

/** A real project file imported from an apparel subset. */
export async function apparelProject(rows = 24): Promise<string> {
  const { dir, csv } = apparelSubset(rows)
  const projectFile = join(dir, 'subset.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [csv], projectFile })
  project.close()
  return projectFile
}

/** A web-mode service with its own config folder, closed after the test. */
export function newService(options: Partial<ServiceOptions> = {}): Service {
  const configDir = join(tempDir(), 'config')
  mkdirSync(configDir)
  const service = new Service({ configDir, mode: 'web', version: '0.0.0-test', ...options })
  cleanups.push(() => service.close())
  return service
}
