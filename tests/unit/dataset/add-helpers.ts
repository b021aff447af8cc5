import { copyFileSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { apparelDir } from './helpers.ts'

/** Fixture image paths from the apparel train.csv, skipping the first (helpers' sampleJpeg) so none repeats it. */
function fixtureImages(): string[] {
  const lines = readFileSync(join(apparelDir(), 'train.csv'), 'utf8').split('\n').slice(2)
  return lines.map((l) => l.split(',')[1] ?? '').filter((p) => p !== '')
}

/** Copies a different real JPEG to each relative path under dir (distinct content, so none is a duplicate). */
export function writeDistinctImages(dir: string, rels: string[], offset = 0): void {
  const sources = fixtureImages()
  rels.forEach((rel, i) => {
    const file = join(dir, rel)
    mkdirSync(dirname(file), { recursive: true })
    copyFileSync(join(apparelDir(), sources[offset + i] as string), file)
  })
}

/** The bytes of a fixture JPEG other than those writeDistinctImages uses first. */
export function distinctJpeg(n: number): Buffer {
  return readFileSync(join(apparelDir(), fixtureImages()[100 + n] as string))
}
