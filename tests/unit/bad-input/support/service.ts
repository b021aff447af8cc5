// The bad-input catalogue drives the app through the service, as the UI does: one service per file,
// with a project already open whose stored contents must survive every bad input untouched.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Reply, WireError } from '../../../../src-preload/contract.ts'
import { Project } from '../../../../src-main/core/dataset/project.ts'
import { Service } from '../../../../src-main/core/service/index.ts'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..')
export const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures')
export const apparelDir = (): string => join(fixturesDir(), 'apparel-mini')

/** Temp folders made by a test file; `removeTemps` (in afterAll) deletes them. */
const made: string[] = []
export function tempDir(prefix = 'bad-input'): string {
  const dir = mkdtempSync(join(tmpdir(), `tagsmith-${prefix}-`))
  made.push(dir)
  return dir
}
export function removeTemps(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

export function newService(): Service {
  const configDir = join(tempDir('config'), 'config')
  mkdirSync(configDir)
  return new Service({ configDir, mode: 'web', version: '0.0.0-bad-input' })
}

/** Bytes of one real JPEG of the fixture. */
export function sampleJpeg(): Buffer {
  const path = readFileSync(join(apparelDir(), 'train.csv'), 'utf8').split('\n')[1]?.split(',')[1] ?? ''
  return readFileSync(join(apparelDir(), path))
}

/** A project of the first `rows` apparel rows (images linked from the read-only fixture). */
export async function apparelProject(rows = 8): Promise<string> {
  const dir = tempDir('baseline')
  const lines = readFileSync(join(apparelDir(), 'train.csv'), 'utf8').split('\n')
  writeFileSync(join(dir, 'train.csv'), `${lines.slice(0, rows + 1).join('\n')}\n`)
  symlinkSync(join(apparelDir(), 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  const projectFile = join(dir, 'baseline.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [join(dir, 'train.csv')], projectFile })
  project.close()
  return projectFile
}

/** The error of a reply that must have failed. */
export function errorOf(reply: Reply, what: string): WireError {
  if (reply.ok) throw new Error(`${what} succeeded: ${JSON.stringify(reply.result).slice(0, 300)}`)
  return reply.error
}

export function resultOf<T>(reply: Reply, what: string): T {
  if (!reply.ok) throw new Error(`${what} failed: ${reply.error.code} ${reply.error.message}`)
  return reply.result as T
}

/** A plain one-line message: no stack trace, no source positions. */
export function expectPlainMessage(message: string): void {
  if (/\n\s+at |\.ts:\d+:\d+|\.js:\d+:\d+/.test(message)) throw new Error(`the message carries a stack trace: ${message}`)
}

/** The service still answers and still has `file` open. */
export async function expectServiceAlive(service: Service, file: string | null): Promise<void> {
  resultOf(await service.handle('app:info', {}), 'app:info')
  const current = resultOf<{ file: string } | null>(await service.handle('project:current', {}), 'project:current')
  if ((current?.file ?? null) !== file) throw new Error(`the open project changed from ${file} to ${current?.file ?? null}`)
}
