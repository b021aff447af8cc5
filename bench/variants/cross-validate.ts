// Scoring a feature matrix on the apparel fixture as the variants bench does: 5-fold cross-validation
// over train+val (folds stratified by colour_garment folder) and the fixture's own train -> val split.
// Exact match at 0.5 and with the two label groups decoded by their most probable label.
import { computeMetrics } from '../../src-main/core/ml/metrics.ts'
import { predictProbabilities } from '../../src-main/core/ml/head.ts'
import { selectRows, type LabelMatrix } from '../../src-main/core/ml/label-matrix.ts'
import { makeRng, shuffleInPlace } from '../../src-shared/rng.ts'
import { trainHead, type TrainConfig } from '../../src-main/core/ml/train.ts'

export interface Fixture {
  labels: string[]
  y: LabelMatrix
  /** colour_garment folder of each row, for stratified folds */
  folder: string[]
  split: Array<'train' | 'val'>
  groups: number[][]
}

export interface Features {
  x: Float32Array
  dim: number
}

export interface Score {
  cvExact: number
  cvGrouped: number
  valExact: number
  valGrouped: number
}

const FOLDS = 5

export function foldsOf(f: Fixture): number[] {
  const byFolder = new Map<string, number[]>()
  f.folder.forEach((name, i) => byFolder.set(name, [...(byFolder.get(name) ?? []), i]))
  const fold = new Array<number>(f.folder.length).fill(0)
  const rng = makeRng(1234)
  let k = 0
  for (const [, rows] of [...byFolder.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    shuffleInPlace(rows, rng)
    for (const r of rows) fold[r] = k++ % FOLDS
  }
  return fold
}

function rowsOf(x: Features, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * x.dim)
  rows.forEach((r, i) => out.set(x.x.subarray(r * x.dim, (r + 1) * x.dim), i * x.dim))
  return out
}

/**
 * Trains on `train`, scores `test`. Early stopping, when asked, watches an inner 15 % of the training
 * rows: never the rows being scored.
 */
async function trainAndScore(f: Fixture, x: Features, train: number[], test: number[], config: Partial<TrainConfig>): Promise<{ exact: number; grouped: number }> {
  let fit = train
  let watch = test
  if (config.earlyStopping) {
    const shuffled = [...train]
    shuffleInPlace(shuffled, makeRng(99))
    const cut = Math.round(shuffled.length * 0.15)
    watch = shuffled.slice(0, cut)
    fit = shuffled.slice(cut)
  }
  const trained = await trainHead({ x: x.x, dim: x.dim, labels: f.y, trainRows: fit, valRows: watch }, { earlyStopping: false, ...config })
  const probs = predictProbabilities(trained.head, rowsOf(x, test), test.length)
  const m = computeMetrics(probs, selectRows(f.y, test), f.labels, { groups: f.groups })
  return { exact: m.exactMatch, grouped: m.exactMatchGrouped ?? Number.NaN }
}

export async function crossValidate(f: Fixture, x: Features, config: Partial<TrainConfig>): Promise<Score> {
  const fold = foldsOf(f)
  const all = fold.map((_, i) => i)
  let exact = 0
  let grouped = 0
  for (let k = 0; k < FOLDS; k++) {
    const test = all.filter((i) => fold[i] === k)
    const s = await trainAndScore(f, x, all.filter((i) => fold[i] !== k), test, config)
    exact += s.exact * test.length
    grouped += s.grouped * test.length
  }
  const val = await trainAndScore(f, x, all.filter((i) => f.split[i] === 'train'), all.filter((i) => f.split[i] === 'val'), config)
  return { cvExact: exact / all.length, cvGrouped: grouped / all.length, valExact: val.exact, valGrouped: val.grouped }
}

/** Columns side by side, in order. */
export function joined(...parts: Features[]): Features {
  const rows = parts[0] ? parts[0].x.length / Math.max(1, parts[0].dim) : 0
  const dim = parts.reduce((s, p) => s + p.dim, 0)
  const x = new Float32Array(rows * dim)
  for (let r = 0; r < rows; r++) {
    let at = r * dim
    for (const p of parts) {
      x.set(p.x.subarray(r * p.dim, (r + 1) * p.dim), at)
      at += p.dim
    }
  }
  return { x, dim }
}

/** Some columns of a matrix: [offset, length] pairs. */
export function columns(m: Features, spans: ReadonlyArray<readonly [number, number]>): Features {
  const rows = m.x.length / m.dim
  return joined(...spans.map(([at, len]) => ({ dim: len, x: Float32Array.from({ length: rows * len }, (_, k) => m.x[Math.floor(k / len) * m.dim + at + (k % len)] as number) })))
}
