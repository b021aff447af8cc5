// Threshold slider figures: what one slider move recomputes in the renderer (decisions, agree/missing/extra
// for every cell, review flags, the split's metrics) for 11,675 images x 11 labels with the apparel set's
// two label groups, by thresholds and by group argmax; the grid's refilter when a prediction filter is on;
// and what an edit (the labels as set) or another split (the rankings) costs. Synthetic probabilities from a
// fixed seed: the loops do not depend on the values, only on their count.
// Run alone: npx tsx bench/slider.ts
import { pathToFileURL } from 'node:url'
import type { ImageRow, LabelValue } from '../src-preload/contract.ts'
import { applyFilter, emptyFilter, type PredictionTest } from '../src-renderer/lib/filter.ts'
import { buildTruth, groupColumns, patchTruth } from '../src-renderer/lib/prediction-data.ts'
import {
  averagePrecisions,
  DISAGREES,
  evaluate,
  rankRows,
  SOURCES,
  summarise,
  type PredictionMatrix,
} from '../src-renderer/lib/prediction-metrics.ts'

const IMAGES = 11_675
const LABELS = ['black', 'blue', 'brown', 'green', 'red', 'white', 'dress', 'shirt', 'pants', 'shorts', 'shoes']
const GROUPS = [LABELS.slice(0, 6), LABELS.slice(6)]
const MOVES = 200

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** One colour and one garment per image; probabilities near the truth with some noise and some errors. */
function synthetic(): { matrix: PredictionMatrix; rows: ImageRow[] } {
  const rand = rng(42)
  const L = LABELS.length
  const probs = new Float32Array(IMAGES * L)
  const source = new Uint8Array(IMAGES)
  const rows: ImageRow[] = []
  for (let r = 0; r < IMAGES; r++) {
    const colour = Math.floor(rand() * 6)
    const garment = 6 + Math.floor(rand() * 5)
    const labels: LabelValue[] = LABELS.map((_, j) => (j === colour || j === garment ? 1 : 0))
    for (let j = 0; j < L; j++) {
      const wrong = rand() < 0.08
      const on = (labels[j] === 1) !== wrong
      probs[r * L + j] = on ? 0.5 + 0.5 * rand() : 0.5 * rand() ** 2
    }
    const split = r % 5 === 0 ? 'val' : 'train'
    source[r] = SOURCES.indexOf(split === 'val' ? 'val' : 'oof')
    rows.push({ id: r + 1, path: `img/${r}.jpg`, source: 'train.csv', split, status: 'ok', labels, edited: false, hash8: null })
  }
  return { matrix: { runId: 1, labels: LABELS, imageIds: Int32Array.from(rows, (x) => x.id), probs, source }, rows }
}

function stats(samples: number[]): { median: number; p95: number; max: number } {
  const s = [...samples].sort((a, b) => a - b)
  const at = (q: number): number => Number((s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0).toFixed(2))
  return { median: at(0.5), p95: at(0.95), max: Number((s.at(-1) ?? 0).toFixed(2)) }
}

function timeEach(n: number, work: (k: number) => void): number[] {
  const out: number[] = []
  for (let k = 0; k < n; k++) {
    const t0 = performance.now()
    work(k)
    out.push(performance.now() - t0)
  }
  return out
}

export async function bench(): Promise<Record<string, unknown>> {
  const { matrix, rows } = synthetic()
  const byId = new Map(rows.map((r) => [r.id, r]))
  const truth = buildTruth(matrix, LABELS, (id) => byId.get(id))
  const groups = groupColumns(LABELS, GROUPS)
  const split = SOURCES.indexOf('val')
  const ranked = rankRows(matrix, split)
  const ap = averagePrecisions(matrix, truth, ranked)
  // A slider sweeps 0.05 .. 0.95 and back, as a drag does.
  const threshold = (k: number): number => 0.05 + 0.9 * Math.abs(((k % 40) - 20) / 20)
  const move = (decodeGroups: boolean) => (k: number) => {
    const ev = evaluate(matrix, truth, new Float64Array(LABELS.length).fill(threshold(k)), groups, { decodeGroups, split })
    summarise(LABELS, ev.split, ap, true)
  }
  // Warm-up: the figures are for a slider in use, not the first call's compilation.
  timeEach(30, move(true))
  const cpu0 = process.cpuUsage()
  const byThreshold = timeEach(MOVES, move(false))
  const byGroup = timeEach(MOVES, move(true))
  const cpu = process.cpuUsage(cpu0)

  const at = new Map(rows.map((r, i) => [r.id, i]))
  const refilter = timeEach(MOVES, (k) => {
    const ev = evaluate(matrix, truth, new Float64Array(LABELS.length).fill(threshold(k)), groups, { decodeGroups: true, split })
    const test: PredictionTest = () => (row) => ((ev.flags[at.get(row.id) ?? 0] ?? 0) & DISAGREES) !== 0
    applyFilter(rows, LABELS, GROUPS, { ...emptyFilter(), prediction: 'disagrees' }, test)
  })
  // One image edited: its labels patched in, average precision and a move's recompute again.
  const edit = timeEach(50, (k) => {
    const row = rows[(k * 97) % rows.length] as ImageRow
    const t = patchTruth(truth, matrix, LABELS, [row], (id) => at.get(id))
    const a = averagePrecisions(matrix, t, ranked)
    const ev = evaluate(matrix, t, new Float64Array(LABELS.length).fill(0.5), groups, { decodeGroups: true, split })
    summarise(LABELS, ev.split, a, true)
  })
  // Reading every row again (a reload, or an edit of more rows than the images store remembers).
  const reread = timeEach(20, () => buildTruth(matrix, LABELS, (id) => byId.get(id)))
  const splitChange = timeEach(10, (k) => rankRows(matrix, SOURCES.indexOf(k % 2 === 0 ? 'val' : 'oof')))

  return {
    slider: {
      images: IMAGES,
      labels: LABELS.length,
      /** one move: decisions, statuses, flags, margins and the split's metrics */
      moveMsByThreshold: stats(byThreshold),
      moveMsGroupArgmax: stats(byGroup),
      moveCpuMsMean: Number(((cpu.user + cpu.system) / 1000 / (2 * MOVES)).toFixed(2)),
      /** a move plus the grid's pass with the "disagrees" filter on */
      moveWithDisagreesFilterMs: stats(refilter),
      /** after a label edit: the image's labels patched in, average precision, decisions and metrics */
      editRecomputeMs: stats(edit),
      /** every image's labels read again */
      rereadLabelsMs: stats(reread),
      /** another split for the metrics: the per-label rankings (train rows, then val) */
      splitChangeMs: stats(splitChange),
    },
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await bench(), null, 2))
}
