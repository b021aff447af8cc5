import type { Database } from 'better-sqlite3'
import type { PredictionSource } from '../../../src-preload/contract.ts'
import { fromBlob } from './feature-cache.ts'

// SQL for run_predictions (migrations 0020, 0030): one row of probabilities per image and run.

export interface StoredPredictions {
  imageIds: number[]
  /** row-major imageIds.length x labels */
  probs: Float32Array
  source: PredictionSource[]
}

/** Replaces a run's predictions with these, in one transaction. */
export function putPredictions(db: Database, runId: number, numLabels: number, rows: ReadonlyArray<{ imageId: number; probs: Float32Array; source: PredictionSource }>): void {
  const del = db.prepare('DELETE FROM run_predictions WHERE run_id = ?')
  const ins = db.prepare('INSERT INTO run_predictions (run_id, image_id, probs, out_of_fold, source) VALUES (?, ?, ?, ?, ?)')
  db.transaction(() => {
    del.run(runId)
    for (const r of rows) {
      if (r.probs.length !== numLabels) throw new RangeError(`image ${r.imageId}: ${r.probs.length} probabilities for ${numLabels} labels`)
      ins.run(runId, r.imageId, Buffer.from(r.probs.buffer, r.probs.byteOffset, r.probs.byteLength), r.source === 'oof' ? 1 : 0, r.source)
    }
  })()
}

/** A run's predictions in image id order, or null when it has none stored. */
export function getPredictions(db: Database, runId: number, numLabels: number): StoredPredictions | null {
  const rows = db.prepare('SELECT image_id, probs, source FROM run_predictions WHERE run_id = ? ORDER BY image_id').all(runId) as Array<{
    image_id: number
    probs: Buffer
    source: PredictionSource
  }>
  if (rows.length === 0) return null
  const probs = new Float32Array(rows.length * numLabels)
  rows.forEach((r, i) => probs.set(fromBlob(r.probs), i * numLabels))
  return { imageIds: rows.map((r) => r.image_id), probs, source: rows.map((r) => r.source) }
}

export function hasPredictions(db: Database, runId: number): boolean {
  return db.prepare('SELECT 1 FROM run_predictions WHERE run_id = ? LIMIT 1').pluck().get(runId) !== undefined
}
