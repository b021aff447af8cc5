import type { Database } from '../db/open.ts'

// SQL for label_reviews and uncertain_confirmations (migration 0040).

export interface ReviewRow {
  imageId: number
  labelId: number
  /** the cell's value as the review left it */
  value: 0 | 1
  outcome: 'fixed' | 'kept'
  runId: number | null
}

/** Every remembered review, keyed `${imageId}:${labelId}`. */
export function reviewsByPair(db: Database): Map<string, ReviewRow> {
  const rows = db.prepare('SELECT image_id, label_id, value, outcome, run_id FROM label_reviews').raw().all() as Array<
    [number, number, 0 | 1, 'fixed' | 'kept', number | null]
  >
  return new Map(rows.map(([imageId, labelId, value, outcome, runId]) => [pairKey(imageId, labelId), { imageId, labelId, value, outcome, runId }]))
}

export const pairKey = (imageId: number, labelId: number): string => `${imageId}:${labelId}`

/** Records a review of a pair by `author` (none: nobody named), replacing any earlier one. */
export function putReview(db: Database, r: ReviewRow & { probability: number; author?: string | null }): void {
  db.prepare(
    `INSERT INTO label_reviews (image_id, label_id, value, outcome, run_id, probability, at, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (image_id, label_id) DO UPDATE SET value = excluded.value, outcome = excluded.outcome,
       run_id = excluded.run_id, probability = excluded.probability, at = excluded.at, author = excluded.author`,
  ).run(r.imageId, r.labelId, r.value, r.outcome, r.runId, r.probability, new Date().toISOString(), r.author ?? null)
}

/**
 * Reviews made under a run that still hold (the cell still has the value the review left), by outcome.
 * An undone accept no longer counts as fixed.
 */
export function reviewCounts(db: Database, runId: number): { reviewed: number; fixed: number } {
  const row = db
    .prepare(
      `SELECT count(*) AS reviewed, coalesce(sum(r.outcome = 'fixed'), 0) AS fixed
       FROM label_reviews r JOIN image_labels c ON c.image_id = r.image_id AND c.label_id = r.label_id
       WHERE r.run_id = ? AND c.value = r.value`,
    )
    .get(runId) as { reviewed: number; fixed: number }
  return { reviewed: row.reviewed, fixed: row.fixed }
}

/** Label name -> label id. */
export function labelIds(db: Database): Map<string, number> {
  const rows = db.prepare('SELECT name, id FROM labels').raw().all() as Array<[string, number]>
  return new Map(rows)
}

/** Records that `author` (none: nobody named) looked at an image under a run, with its labels as they are ('0', '1', '-' per label). */
export function putConfirmation(db: Database, imageId: number, runId: number, labels: string, author: string | null = null): void {
  db.prepare(
    `INSERT INTO uncertain_confirmations (image_id, run_id, labels, at, author) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (image_id, run_id) DO UPDATE SET labels = excluded.labels, at = excluded.at, author = excluded.author`,
  ).run(imageId, runId, labels, new Date().toISOString(), author)
}

/** Images confirmed under this run or a newer one: a newer run than theirs asks again. */
export function confirmedSince(db: Database, runId: number): Set<number> {
  return new Set(db.prepare('SELECT DISTINCT image_id FROM uncertain_confirmations WHERE run_id >= ?').pluck().all(runId) as number[])
}
