import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { afterEach } from 'vitest'

export const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
export const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures')
export const apparelDir = (): string => join(fixturesDir(), 'apparel-mini')

const made: string[] = []
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A fresh temp folder, removed after the test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-test-'))
  made.push(dir)
  return dir
}

/**
 * The apparel CSVs copied to a temp folder, so tests may change them. The image folder is a
 * symlink to the fixture's (cheap, and the import follows links inside the folder): never write
 * through it.
 */
export function copyApparel(): string {
  const dir = tempDir()
  for (const name of ['train.csv', 'val.csv']) cpSync(join(apparelDir(), name), join(dir, name))
  symlinkSync(join(apparelDir(), 'clothes_dataset'), join(dir, 'clothes_dataset'), 'dir')
  return dir
}

/** Bytes of a real JPEG from the fixture, for tests that need a few valid images. */
export function sampleJpeg(): Buffer {
  const train = readFileSync(join(apparelDir(), 'train.csv'), 'utf8')
  const path = train.split('\n')[1]?.split(',')[1] ?? ''
  return readFileSync(join(apparelDir(), path))
}

/** Writes text (exactly, no newline conversion) to dir/name, creating folders. */
export function writeText(dir: string, name: string, text: string | Uint8Array): string {
  const file = join(dir, name)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, text)
  return file
}

/** Writes a valid JPEG at each relative path under dir. */
export function writeImages(dir: string, paths: string[]): void {
  const jpeg = sampleJpeg()
  for (const p of paths) writeText(dir, p, jpeg)
}
