// A copy of the apparel-mini fixture with known label errors: a seeded 5% of the colour cells of
// train.csv and val.csv flipped (0 <-> 1). Images are reached through a symlink to the read-only fixture.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { makeRng, shuffleInPlace } from '../../../src-shared/rng.ts'
import type { Suspect } from '../../../src-preload/contract.ts'

const repoRoot = path.resolve(import.meta.dirname, '../../..')
export const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures')
export const apparelDir = (): string => path.join(fixturesDir(), 'apparel-mini')

export const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']

export interface PlantedCopy {
  dir: string
  csvs: string[]
  /** the flipped cells: `${image path as written}\t${label}` */
  flips: Set<string>
  /** image paths (as written) with at least one flipped cell */
  images: Set<string>
  /** colour cells in both files */
  cells: number
}

/** Copies train.csv and val.csv into a fresh temp folder, flipping `share` of their colour cells (seeded). */
export function plantColourFlips(seed: number, share = 0.05): PlantedCopy {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-planted-'))
  fs.symlinkSync(path.join(apparelDir(), 'clothes_dataset'), path.join(dir, 'clothes_dataset'), 'dir')
  const rng = makeRng(seed)
  const flips = new Set<string>()
  const images = new Set<string>()
  const csvs: string[] = []
  let cells = 0
  for (const name of ['train.csv', 'val.csv']) {
    const text = fs.readFileSync(path.join(apparelDir(), name), 'utf8')
    const ending = text.includes('\r\n') ? '\r\n' : '\n'
    const lines = text.split(ending)
    const header = (lines[0] ?? '').split(',')
    const columns = COLOURS.map((c) => header.indexOf(c))
    if (columns.some((c) => c === -1)) throw new Error(`${name}: colour columns missing`)
    const rows = lines.slice(1).map((l, i) => ({ line: i + 1, cells: l.split(',') })).filter((r) => r.cells.length === header.length)
    const all = rows.flatMap((r) => columns.map((c) => ({ row: r, column: c })))
    cells += all.length
    for (const { row, column } of shuffleInPlace(all, rng).slice(0, Math.round(share * all.length))) {
      const value = row.cells[column]
      row.cells[column] = value === '1' ? '0' : '1'
      const image = row.cells[1] ?? ''
      flips.add(`${image}\t${header[column] ?? ''}`)
      images.add(image)
      lines[row.line] = row.cells.join(',')
    }
    const out = path.join(dir, name)
    fs.writeFileSync(out, lines.join(ending))
    csvs.push(out)
  }
  return { dir, csvs, flips, images, cells }
}

/** Share of the first k ranked images that carry a planted flip. */
export function precisionAt(suspects: readonly Pick<Suspect, 'image'>[], planted: ReadonlySet<string>, k: number): number {
  const top = suspects.slice(0, k)
  return top.length === 0 ? 0 : top.filter((s) => planted.has(s.image)).length / top.length
}
