// Import and export figures on an ~11k-row dataset built from the apparel fixture: its rows are
// repeated with paths into numbered folders of hard links (copies where links are refused), so
// every row has its own image file. Files are read from a warm page cache.
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Project } from '../src-main/core/dataset/project.ts'

export const BENCH_ROWS = 11_675

const fixturesDir = (): string =>
  process.env.TAGSMITH_FIXTURES ?? resolve(import.meta.dirname, '..', '..', 'shared', 'fixtures')

/** Writes train.csv + val.csv with `rows` rows in total into dir; returns the CSV paths. */
export function buildLargeDataset(dir: string, rows = BENCH_ROWS): string[] {
  const src = join(fixturesDir(), 'apparel-mini')
  const read = (name: string): string[] => readFileSync(join(src, name), 'utf8').split('\n').filter(Boolean)
  const [header, ...train] = read('train.csv')
  const val = read('val.csv').slice(1)
  const perCopy = train.length + val.length
  const out = { train: [header], val: [header] }
  let written = 0
  for (let copy = 0; written < rows; copy++) {
    for (const [split, lines] of [['train', train], ['val', val]] as const) {
      for (const line of lines) {
        if (written >= rows) break
        const cells = line.split(',')
        const path = cells[1] ?? ''
        const target = join(dir, `c${copy}`, path)
        mkdirSync(dirname(target), { recursive: true })
        if (!existsSync(target)) {
          try {
            linkSync(join(src, path), target)
          } catch {
            copyFileSync(join(src, path), target)
          }
        }
        cells[0] = String(out[split].length - 1)
        cells[1] = `./c${copy}/${path.replace(/^\.\//, '')}`
        out[split].push(cells.join(','))
        written++
      }
    }
    if (copy > rows / perCopy + 1) break
  }
  const files = [join(dir, 'train.csv'), join(dir, 'val.csv')]
  writeFileSync(files[0] as string, `${out.train.join('\n')}\n`)
  writeFileSync(files[1] as string, `${out.val.join('\n')}\n`)
  return files
}

export async function bench(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-bench-'))
  try {
    const csvs = buildLargeDataset(dir)
    let t = performance.now()
    const { project, report } = await Project.importCsvs({ csvs })
    const seconds = (performance.now() - t) / 1000
    const exportRuns: number[] = []
    for (let i = 0; i < 5; i++) {
      t = performance.now()
      project.exportCsvs(join(dir, 'out'))
      exportRuns.push(performance.now() - t)
    }
    // The same with 200 edited cells spread over the file.
    const images = project.images()
    const labels = project.labels()
    project.edits.setLabels(
      Array.from({ length: 200 }, (_, i) => {
        const image = images[(i * 57) % images.length]
        const label = labels[i % labels.length] ?? ''
        return { imageId: image?.id ?? 1, label, value: image?.labels[i % labels.length] === 1 ? 0 : 1 } as const
      }),
    )
    t = performance.now()
    project.exportCsvs(join(dir, 'out'))
    const editedMs = performance.now() - t
    project.close()
    exportRuns.sort((a, b) => a - b)
    const round = (x: number, digits: number): number => Number(x.toFixed(digits))
    return {
      import: {
        rows: report.rows,
        seconds: round(seconds, 2),
        rowsPerSecond: Math.round(report.rows / seconds),
        flagged: report.flagged.length,
      },
      export: {
        rows: report.rows,
        ms: round(exportRuns[2] ?? 0, 1),
        msWith200EditedCells: round(editedMs, 1),
      },
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
