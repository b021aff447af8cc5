// The label-error queue and the uncertainty queue of a run: its stored out-of-sample probabilities, the
// project's labels as they are now, and what users already reviewed or confirmed.
import type { ReviewAction, Suspect, SuspectQueue, UncertainItem, UncertainQueue } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import type { EditGroup, ImageRecord, LabelChange } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import type { StoredPredictions } from '../ml/run-predictions.ts'
import type { RunRecord } from '../ml/runs.ts'
import { confirmedSince, labelIds, pairKey, putConfirmation, putReview, reviewCounts, reviewsByPair } from './reviews.ts'
import { decision, DEFAULT_METHOD, rankImages, suspectPairs, type PairMatrix, type ScoreMethod, type ScoredPair } from './scoring.ts'
import { closestCall, orderUncertain, type UncertainCandidate } from './uncertainty.ts'

export const DEFAULT_LIMIT = 500

/** A run's probabilities joined with the project's rows, in the run's label order. */
interface Joined {
  matrix: PairMatrix
  records: ImageRecord[]
  /** project label position of each run label (-1: the project lacks it) */
  projectIndex: number[]
  /** label id of each run label (-1: the project lacks it) */
  labelId: number[]
}

export const thresholdsOf = (run: RunRecord): number[] => run.labels.map((_, j) => run.thresholds?.[j] ?? 0.5)

function joinRun(project: Project, run: RunRecord, predictions: StoredPredictions): Joined {
  const projectLabels = project.labels()
  const ids = labelIds(project.db)
  const projectIndex = run.labels.map((l) => projectLabels.indexOf(l))
  const labelId = run.labels.map((l) => ids.get(l) ?? -1)
  const byId = new Map(project.images().map((r) => [r.id, r]))
  const L = run.labels.length
  const records: ImageRecord[] = []
  const rowsKept: number[] = []
  predictions.imageIds.forEach((id, i) => {
    const record = byId.get(id)
    if (!record) return // an image removed since the run: nothing to review
    records.push(record)
    rowsKept.push(i)
  })
  const probs = new Float32Array(records.length * L)
  const stored = new Int8Array(records.length * L).fill(-1)
  records.forEach((record, r) => {
    const from = (rowsKept[r] ?? 0) * L
    probs.set(predictions.probs.subarray(from, from + L), r * L)
    projectIndex.forEach((p, j) => {
      const v = p === -1 ? null : (record.labels[p] ?? null)
      if (v !== null) stored[r * L + j] = v
    })
  })
  return { matrix: { rows: records.length, labels: L, probs, stored, thresholds: thresholdsOf(run) }, records, projectIndex, labelId }
}

export interface QueueOptions {
  limit?: number
  method?: ScoreMethod
}

/** Images ranked by their worst unreviewed suspect pair; a review holds while the cell keeps its value. */
export function suspectQueue(project: Project, run: RunRecord, predictions: StoredPredictions, opts: QueueOptions = {}): SuspectQueue {
  const joined = joinRun(project, run, predictions)
  return rankSuspects(project, run, joined, suspectPairs(joined.matrix, opts.method ?? DEFAULT_METHOD), opts)
}

/** The rows a run's scored pairs point at (row: position in the run's kept predictions). */
export interface SuspectRows {
  records: ReadonlyArray<Pick<ImageRecord, 'id' | 'path'>>
  /** label id of each run label (-1: the project lacks it) */
  labelId: readonly number[]
}

/** The queue from a run's scored suspect pairs (in any order) and the reviews as they are now. */
export function rankSuspects(project: Project, run: RunRecord, rows: SuspectRows, pairs: Iterable<ScoredPair>, opts: QueueOptions = {}): SuspectQueue {
  const reviews = reviewsByPair(project.db)
  const counted = new Set<number>()
  const open: ScoredPair[] = []
  for (const pair of pairs) {
    const imageId = rows.records[pair.row]?.id ?? -1
    counted.add(imageId)
    const review = reviews.get(pairKey(imageId, rows.labelId[pair.label] ?? -1))
    if (review?.value !== pair.stored) open.push(pair)
  }
  // Pairs this run's queue settled by an accept are no longer suspects, but their images were in the queue.
  const imageIds = new Set(rows.records.map((r) => r.id))
  for (const review of reviews.values()) {
    if (review.runId === run.id && imageIds.has(review.imageId)) counted.add(review.imageId)
  }
  const toSuspect = (p: ScoredPair): Suspect => {
    const record = rows.records[p.row]
    return {
      imageId: record?.id ?? -1,
      image: record?.path ?? '',
      label: run.labels[p.label] ?? '',
      stored: p.stored,
      probability: p.probability,
      score: p.score,
    }
  }
  const ranked = rankImages(open).slice(0, opts.limit ?? DEFAULT_LIMIT)
  const others: Record<number, Suspect[]> = {}
  for (const image of ranked) {
    if (image.others.length > 0) others[rows.records[image.row]?.id ?? -1] = image.others.map(toSuspect)
  }
  counted.delete(-1)
  return { runId: run.id, suspects: ranked.map((image) => toSuspect(image.worst)), others, total: counted.size, ...reviewCounts(project.db, run.id) }
}

export interface ReviewOutcome {
  /** the edit an accept made (null for keep) */
  group: EditGroup | null
  reviewed: number
  fixed: number
}

export function rowOf(predictions: StoredPredictions, imageId: number): number {
  // imageIds are in id order (getPredictions): binary search.
  let lo = 0
  let hi = predictions.imageIds.length - 1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    const id = predictions.imageIds[mid] ?? 0
    if (id === imageId) return mid
    if (id < imageId) lo = mid + 1
    else hi = mid - 1
  }
  return -1
}

/** The run's probability of one label of one image, checking every name and id. */
interface Pair {
  record: ImageRecord
  /** the label's position in the project's label order */
  projectPos: number
  labelId: number
  probability: number
  modelView: 0 | 1
}

function pairOf(project: Project, run: RunRecord, predictions: StoredPredictions, imageId: number, label: string): Pair {
  const projectPos = project.labels().indexOf(label)
  if (projectPos === -1) throw new TagsmithError('BAD_INPUT', `unknown label ${JSON.stringify(label)}`)
  const j = run.labels.indexOf(label)
  if (j === -1) throw new TagsmithError('BAD_INPUT', `run ${run.id} has no label ${JSON.stringify(label)}`)
  const record = project.image(imageId)
  if (!record) throw new TagsmithError('BAD_INPUT', `no image with id ${imageId}`)
  const row = rowOf(predictions, imageId)
  if (row === -1) throw new TagsmithError('BAD_INPUT', `run ${run.id} has no probabilities for image ${imageId} (${record.path})`)
  const probability = predictions.probs[row * run.labels.length + j] ?? 0
  const labelId = labelIds(project.db).get(label) ?? -1
  return { record, projectPos, probability, modelView: decision(probability, thresholdsOf(run)[j] ?? 0.5), labelId }
}

/** The pair with its stored value, refused (CONFLICT) when it is no longer a suspect of `run`. */
function suspectPair(project: Project, run: RunRecord, predictions: StoredPredictions, imageId: number, label: string): { pair: Pair; stored: 0 | 1 } {
  const pair = pairOf(project, run, predictions, imageId, label)
  const stored = pair.record.labels[pair.projectPos] ?? null
  const where = `image ${imageId} (${pair.record.path}), label ${JSON.stringify(label)}`
  if (stored === null) throw new TagsmithError('CONFLICT', `${where}: the cell is empty, not a suspect`)
  if (stored === pair.modelView) throw new TagsmithError('CONFLICT', `${where}: the stored ${stored} already agrees with run ${run.id}`)
  return { pair, stored }
}

/**
 * reviewPair on a team server: an accepted fix is committed through `commit` (the shared store, which logs
 * it with its author and copies it here) and then remembered as fixed; 'keep' changes no label and is
 * remembered here as reviewPair does.
 */
export async function reviewPairThrough(
  project: Project,
  run: RunRecord,
  predictions: StoredPredictions,
  input: { imageId: number; label: string; action: ReviewAction; author: string },
  commit: (changes: LabelChange[]) => Promise<EditGroup>,
): Promise<ReviewOutcome> {
  if (input.action !== 'accept') return reviewPair(project, run, predictions, input)
  const { imageId, label, author } = input
  const { pair } = suspectPair(project, run, predictions, imageId, label)
  const group = await commit([{ imageId, label, value: pair.modelView }])
  putReview(project.db, { imageId, labelId: pair.labelId, runId: run.id, probability: pair.probability, author, value: pair.modelView, outcome: 'fixed' })
  return { group, ...reviewCounts(project.db, run.id) }
}

/**
 * Acts on one suspect pair, in one transaction: 'accept' stores the model's view (one undoable edit) and
 * remembers the pair as fixed; 'keep' remembers it as kept. A pair the model agrees with is refused.
 */
export function reviewPair(
  project: Project,
  run: RunRecord,
  predictions: StoredPredictions,
  /** `author`: who the accepted fix is recorded for (default: the project's author). */
  input: { imageId: number; label: string; action: ReviewAction; author?: string },
): ReviewOutcome {
  const { imageId, label, action, author } = input
  return project.db
    .transaction((): ReviewOutcome => {
      // Read inside the transaction: another window may have edited the cell a moment ago.
      const { pair, stored } = suspectPair(project, run, predictions, imageId, label)
      const base = { imageId, labelId: pair.labelId, runId: run.id, probability: pair.probability, author: author ?? project.edits.author }
      let group: EditGroup | null = null
      if (action === 'accept') {
        group = project.edits.setLabels([{ imageId, label, value: pair.modelView }], author)
        putReview(project.db, { ...base, value: pair.modelView, outcome: 'fixed' })
      } else {
        putReview(project.db, { ...base, value: stored, outcome: 'kept' })
      }
      return { group, ...reviewCounts(project.db, run.id) }
    })
    .immediate()
}

/** Images to look at: empty cells first, then the closest call to a threshold; confirmed ones left out. */
export function uncertainQueue(project: Project, run: RunRecord, predictions: StoredPredictions, opts: { limit?: number } = {}): UncertainQueue {
  const L = run.labels.length
  const thresholds = thresholdsOf(run)
  const labels = project.labels()
  const confirmed = confirmedSince(project.db, run.id)
  const candidates: Array<UncertainCandidate & { record: ImageRecord; empty: string[] }> = []
  for (const record of project.images()) {
    if (record.status !== 'ok' || confirmed.has(record.id)) continue
    const empty = labels.filter((_, k) => record.labels[k] === null)
    const row = rowOf(predictions, record.id)
    const call = row === -1 ? null : closestCall(predictions.probs, row * L, thresholds)
    if (empty.length === 0 && !call) continue
    candidates.push({ imageId: record.id, emptyCells: empty.length, call, record, empty })
  }
  const ordered = orderUncertain(candidates)
  const items = ordered.slice(0, opts.limit ?? DEFAULT_LIMIT).map((c) => uncertainItem(run, c, c.record.path, c.empty))
  return { runId: run.id, items, total: ordered.length, confirmed: confirmed.size }
}

/** One entry of the uncertainty queue as the window shows it. */
export function uncertainItem(run: RunRecord, c: UncertainCandidate, image: string, unlabelled: string[]): UncertainItem {
  return {
    imageId: c.imageId,
    image,
    unlabelled,
    label: c.call ? (run.labels[c.call.label] ?? null) : null,
    probability: c.call?.probability ?? null,
    threshold: c.call?.threshold ?? null,
    margin: c.emptyCells > 0 ? 0 : (c.call?.margin ?? 0),
  }
}

/** Records that an image of the uncertainty queue was looked at (by `author`, default the project's), with its labels as they now are. */
export function confirmImage(project: Project, run: RunRecord, imageId: number, author: string = project.edits.author): { confirmed: number } {
  return project.db
    .transaction(() => {
      const record = project.image(imageId)
      if (!record) throw new TagsmithError('BAD_INPUT', `no image with id ${imageId}`)
      putConfirmation(project.db, imageId, run.id, record.labels.map((v) => (v === null ? '-' : String(v))).join(''), author)
      return { confirmed: confirmedSince(project.db, run.id).size }
    })
    .immediate()
}
