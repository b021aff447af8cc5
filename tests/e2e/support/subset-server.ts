import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fixturesRoot, importAndServe, type FixtureServer } from './fixture-server.ts'

/**
 * Like serveApparelMini, on the first `train` and `val` rows of apparel-mini only (and just their
 * images): enough for a training run that a browser test can watch from start to end.
 */
export async function serveApparelSubset(rows: { train: number; val: number }, opts: { cliBeforeServe?: string[][] } = {}): Promise<FixtureServer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-e2e-train-'))
  return importAndServe(dir, await copyApparelSubset(dir, rows), opts)
}

/** The first `train` and `val` rows of apparel-mini's CSVs and just their images, copied into `dir`; returns the CSVs. */
export async function copyApparelSubset(dir: string, rows: { train: number; val: number }): Promise<string[]> {
  const source = path.join(fixturesRoot, 'apparel-mini')
  const csvs: string[] = []
  for (const [name, count] of [['train.csv', rows.train], ['val.csv', rows.val]] as const) {
    const lines = (await readFile(path.join(source, name), 'utf8')).split(/\r?\n/).filter((l) => l.length > 0).slice(0, count + 1)
    const pathCol = (lines[0] ?? '').split(',').indexOf('image')
    for (const line of lines.slice(1)) {
      const rel = line.split(',')[pathCol] ?? ''
      await mkdir(path.dirname(path.join(dir, rel)), { recursive: true })
      await copyFile(path.join(source, rel), path.join(dir, rel))
    }
    await writeFile(path.join(dir, name), `${lines.join('\n')}\n`)
    csvs.push(path.join(dir, name))
  }
  return csvs
}
