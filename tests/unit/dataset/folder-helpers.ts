import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { apparelDir, tempDir } from './helpers.ts'

/** Distinct fixture JPEGs (read-only), in a stable order. */
export function fixtureJpegs(n: number): string[] {
  const root = join(apparelDir(), 'clothes_dataset')
  const all = readdirSync(root)
    .sort()
    .flatMap((folder) => readdirSync(join(root, folder)).sort().map((f) => join(root, folder, f)))
  // Every folder's first images first, so that a few images are of different garments and colours.
  return all.filter((_, i) => i % 7 === 0).concat(all.filter((_, i) => i % 7 !== 0)).slice(0, n)
}

/** A temp folder with a different fixture JPEG at each relative path. */
export function imageFolder(paths: string[]): string {
  const dir = tempDir()
  const jpegs = fixtureJpegs(paths.length)
  paths.forEach((p, i) => {
    mkdirSync(dirname(join(dir, p)), { recursive: true })
    copyFileSync(jpegs[i] as string, join(dir, p))
  })
  return dir
}
