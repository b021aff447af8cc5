// The queues of one open project, kept between requests: a review step changes one cell, so only that
// cell's label is scored again and the rest of the ranking stays. Answers are the same as suspectQueue's
// and uncertainQueue's (queues.ts), which read and score everything each time.
import type { SuspectQueue, UncertainQueue } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import type { StoredPredictions } from '../ml/run-predictions.ts'
import type { RunRecord } from '../ml/runs.ts'
import { DEFAULT_LIMIT, rankSuspects, rowOf, thresholdsOf, uncertainItem, type QueueOptions, type SuspectRows } from './queues.ts'
import { confirmedSince, labelIds } from './reviews.ts'
import { DEFAULT_METHOD, labelSuspects, type PairMatrix, type ScoredPair, type ScoreMethod } from './scoring.ts'
import { StoredCells, type CellChange } from './stored-cells.ts'
import { closestCall, orderUncertain, type UncertainCandidate } from './uncertainty.ts'

/** What a run's queue depends on besides the cells: a new run, thresholds or method start afresh. */
const runKey = (run: RunRecord, predictions: StoredPredictions, extra: string): string =>
  JSON.stringify([run.id, run.createdAt, run.labels, thresholdsOf(run), predictions.imageIds.length, extra])

/** A run's probabilities beside the cells, and its suspect pairs by label. */
class SuspectState {
  readonly key: string
  readonly predictions: StoredPredictions
  readonly rows: SuspectRows
  readonly matrix: PairMatrix & { stored: Int8Array }
  readonly method: ScoreMethod
  /** run row of each cell image (-1: not in the run) */
  readonly #rowOfImage: Int32Array
  /** run label of each project label (-1: the run lacks it) */
  readonly #runLabelOf: number[]
  readonly #pairs: ScoredPair[][]

  constructor(cells: StoredCells, run: RunRecord, predictions: StoredPredictions, method: ScoreMethod) {
    this.key = runKey(run, predictions, method)
    this.predictions = predictions
    this.method = method
    const L = run.labels.length
    const ids = labelIds(cells.project.db)
    const projectIndex = run.labels.map((l) => cells.labels.indexOf(l))
    this.#runLabelOf = cells.labels.map((l) => run.labels.indexOf(l))
    // Rows as joinRun keeps them: the run's images still in the project, in the run's order.
    const kept: Array<{ row: number; image: number }> = []
    predictions.imageIds.forEach((id, row) => {
      const image = cells.indexOf(id)
      if (image !== -1) kept.push({ row, image })
    })
    this.#rowOfImage = new Int32Array(cells.images.length).fill(-1)
    const probs = new Float32Array(kept.length * L)
    const stored = new Int8Array(kept.length * L).fill(-1)
    const P = cells.labels.length
    kept.forEach(({ row, image }, r) => {
      this.#rowOfImage[image] = r
      probs.set(predictions.probs.subarray(row * L, row * L + L), r * L)
      projectIndex.forEach((k, j) => {
        if (k !== -1) stored[r * L + j] = cells.values[image * P + k] ?? -1
      })
    })
    this.rows = { records: kept.map(({ image }) => cells.images[image] ?? { id: -1, path: '' }), labelId: run.labels.map((l) => ids.get(l) ?? -1) }
    this.matrix = { rows: kept.length, labels: L, probs, stored, thresholds: thresholdsOf(run) }
    this.#pairs = Array.from({ length: L }, (_, j) => labelSuspects(this.matrix, method, j))
  }

  /** Takes in changed cells; the labels they belong to are scored again (a label's scale spans its cells). */
  apply(cells: StoredCells, changed: readonly CellChange[]): void {
    const P = cells.labels.length
    const L = this.matrix.labels
    const labels = new Set<number>()
    for (const { index } of changed) {
      const r = this.#rowOfImage[Math.floor(index / P)] ?? -1
      const j = this.#runLabelOf[index % P] ?? -1
      if (r === -1 || j === -1) continue
      this.matrix.stored[r * L + j] = cells.values[index] ?? -1
      labels.add(j)
    }
    for (const j of labels) this.#pairs[j] = labelSuspects(this.matrix, this.method, j)
  }

  *pairs(): Iterable<ScoredPair> {
    for (const list of this.#pairs) yield* list
  }
}

/** Every image's closest call (fixed for a run) and the candidates in queue order, confirmed ones included. */
class UncertainState {
  readonly key: string
  readonly predictions: StoredPredictions
  readonly #calls: Array<UncertainCandidate['call']>
  #ordered: number[] | null = null

  constructor(cells: StoredCells, run: RunRecord, predictions: StoredPredictions) {
    this.key = runKey(run, predictions, 'uncertain')
    this.predictions = predictions
    const L = run.labels.length
    const thresholds = thresholdsOf(run)
    this.#calls = cells.images.map((image) => {
      const row = rowOf(predictions, image.id)
      return row === -1 ? null : closestCall(predictions.probs, row * L, thresholds)
    })
  }

  /** The order changes only when a cell turns empty or stops being empty. */
  apply(cells: StoredCells, changed: readonly CellChange[]): void {
    if (changed.some((c) => c.was === -1 || cells.values[c.index] === -1)) this.#ordered = null
  }

  /** Image positions in queue order (confirmation leaves the order of the others alone). */
  ordered(cells: StoredCells): number[] {
    if (this.#ordered) return this.#ordered
    const P = cells.labels.length
    const candidates: Array<UncertainCandidate & { image: number }> = []
    cells.images.forEach((image, i) => {
      if (image.status !== 'ok') return
      let emptyCells = 0
      for (let k = 0; k < P; k++) if (cells.values[i * P + k] === -1) emptyCells++
      const call = this.#calls[i] ?? null
      if (emptyCells === 0 && !call) return
      candidates.push({ imageId: image.id, emptyCells, call, image: i })
    })
    this.#ordered = orderUncertain(candidates).map((c) => c.image)
    return this.#ordered
  }

  candidate(cells: StoredCells, i: number): UncertainCandidate & { unlabelled: string[] } {
    const P = cells.labels.length
    const unlabelled = cells.labels.filter((_, k) => cells.values[i * P + k] === -1)
    return { imageId: cells.images[i]?.id ?? -1, emptyCells: unlabelled.length, call: this.#calls[i] ?? null, unlabelled }
  }
}

export class QueueCache {
  readonly project: Project
  #cells: StoredCells | null = null
  #suspects: SuspectState | null = null
  #uncertain: UncertainState | null = null

  constructor(project: Project) {
    this.project = project
  }

  /** As suspectQueue(project, run, predictions, opts). */
  suspects(run: RunRecord, predictions: StoredPredictions, opts: QueueOptions = {}): SuspectQueue {
    const cells = this.#current()
    const method = opts.method ?? DEFAULT_METHOD
    if (this.#suspects?.key !== runKey(run, predictions, method) || this.#suspects.predictions !== predictions) {
      this.#suspects = new SuspectState(cells, run, predictions, method)
    }
    return rankSuspects(this.project, run, this.#suspects.rows, this.#suspects.pairs(), opts)
  }

  /** As uncertainQueue(project, run, predictions, opts). */
  uncertain(run: RunRecord, predictions: StoredPredictions, opts: { limit?: number } = {}): UncertainQueue {
    const cells = this.#current()
    if (this.#uncertain?.key !== runKey(run, predictions, 'uncertain') || this.#uncertain.predictions !== predictions) {
      this.#uncertain = new UncertainState(cells, run, predictions)
    }
    const state = this.#uncertain
    const confirmed = confirmedSince(this.project.db, run.id)
    const open = state.ordered(cells).filter((i) => !confirmed.has(cells.images[i]?.id ?? -1))
    const items = open.slice(0, opts.limit ?? DEFAULT_LIMIT).map((i) => {
      const c = state.candidate(cells, i)
      return uncertainItem(run, c, cells.images[i]?.path ?? '', c.unlabelled)
    })
    return { runId: run.id, items, total: open.length, confirmed: confirmed.size }
  }

  /** The cells as the file now holds them, with the kept queues brought up to date. */
  #current(): StoredCells {
    if (!this.#cells || this.#cells.labelsChanged()) {
      this.#suspects = null
      this.#uncertain = null
      this.#cells = new StoredCells(this.project)
      return this.#cells
    }
    const cells = this.#cells
    const changed = cells.refresh()
    if (changed.length === 0) return cells
    this.#suspects?.apply(cells, changed)
    this.#uncertain?.apply(cells, changed)
    return cells
  }
}
