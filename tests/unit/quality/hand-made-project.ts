// A real project file from a small hand-written CSV (every image a copy of one fixture JPEG) and runs
// whose probabilities the test chooses, stored as training would store them.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { putPredictions } from '../../../src-main/core/ml/run-predictions.ts'
import { insertRun, type NewRun } from '../../../src-main/core/ml/runs.ts'
import { DEFAULT_TRAIN_CONFIG } from '../../../src-main/core/ml/train.ts'

const repoRoot = resolve(import.meta.dirname, '..', '..', '..')
const fixturesDir = (): string => process.env.TAGSMITH_FIXTURES ?? resolve(repoRoot, '..', 'shared', 'fixtures')

export interface HandRow {
  path: string
  /** one cell per label: '0', '1' or '' (empty) */
  cells: string[]
  split?: 'train' | 'val'
  /** no image file on disk: imported as missing */
  missing?: boolean
}

export interface HandMade {
  dir: string
  file: string
  /** image id by path */
  ids: Map<string, number>
  remove(): void
}

function sampleJpeg(): Buffer {
  const apparel = join(fixturesDir(), 'apparel-mini')
  const first = readFileSync(join(apparel, 'train.csv'), 'utf8').split('\n')[1]?.split(',')[1] ?? ''
  return readFileSync(join(apparel, first))
}

/** Imports train.csv (and val.csv for rows marked val) holding these rows. */
export async function handMadeProject(labels: string[], rows: HandRow[]): Promise<HandMade> {
  const dir = mkdtempSync(join(tmpdir(), 'tagsmith-quality-'))
  const jpeg = sampleJpeg()
  const csvs: string[] = []
  for (const split of ['train', 'val'] as const) {
    const mine = rows.filter((r) => (r.split ?? 'train') === split)
    if (mine.length === 0) continue
    const lines = [`,image,${labels.join(',')}`, ...mine.map((r, i) => `${i},${r.path},${r.cells.join(',')}`)]
    const csv = join(dir, `${split}.csv`)
    writeFileSync(csv, `${lines.join('\n')}\n`)
    csvs.push(csv)
    for (const r of mine.filter((m) => !m.missing)) {
      // a path written with '\\' names the same file
      const file = join(dir, ...r.path.split(/[\\/]/))
      mkdirSync(dirname(file), { recursive: true })
      writeFileSync(file, jpeg)
    }
  }
  const file = join(dir, 'hand.tagsmith')
  const { project } = await Project.importCsvs({ csvs, projectFile: file })
  const ids = new Map(project.images().map((r) => [r.path, r.id]))
  project.close()
  return { dir, file, ids, remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Stores a run over `labels` with these probabilities (by image path; training rows scored out of fold). */
export function addRun(made: HandMade, labels: string[], probs: Record<string, number[]>, thresholds = labels.map(() => 0.5)): number {
  const db = openDatabase(made.file)
  try {
    const run: NewRun = {
      config: { ...DEFAULT_TRAIN_CONFIG, epochs: 1 },
      backbone: { id: 'b', key: 'b:l1', name: 'B', source: 'bundled', featureLayers: ['l1'], inputSize: 8, normalisation: { mean: [0, 0, 0], std: [1, 1, 1] }, prep: 1 },
      labels,
      labelSnapshot: '0'.repeat(64),
      history: [],
      metrics: { n: 0, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} },
      thresholds,
      groups: null,
      backend: 'cpu',
      head: { dim: 1, numLabels: labels.length, mean: Float32Array.from([0]), scale: Float32Array.from([1]), kernel: new Float32Array(labels.length), bias: new Float32Array(labels.length) },
      timings: { extractSeconds: 0, trainSeconds: 0 },
    }
    const id = insertRun(db, run)
    const rows = Object.entries(probs).map(([path, p]) => {
      const imageId = made.ids.get(path)
      if (imageId === undefined) throw new Error(`no image ${path}`)
      return { imageId, probs: Float32Array.from(p), source: 'oof' as const }
    })
    putPredictions(db, id, labels.length, rows)
    return id
  } finally {
    db.close()
  }
}
