import type { Database } from 'better-sqlite3'
import { splitKey } from './feature-key.ts'

// SQL for the features table (migration 0020). Features are keyed by image content hash, so the same
// file under two paths or two projects' copies share one row.

function toBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength)
}

export function fromBlob(b: Buffer): Float32Array {
  // Copy: a Buffer from SQLite may sit at an offset that is not 4-byte aligned.
  const out = new Float32Array(b.byteLength / 4)
  new Uint8Array(out.buffer).set(b)
  return out
}

/** Which of `hashes` already have features for (backbone key, prep): for a composite key, every part. */
export function cachedHashes(db: Database, key: string, prep: number, hashes: Iterable<string>): Set<string> {
  const stmt = db.prepare('SELECT 1 FROM features WHERE hash = ? AND backbone = ? AND prep = ?').pluck()
  const parts = splitKey(key, prep)
  const out = new Set<string>()
  for (const h of hashes) if (parts.every((p) => stmt.get(h, p.key, p.prep) !== undefined)) out.add(h)
  return out
}

/** Store one batch in one transaction: a cancel or crash keeps every batch committed before it. */
export function putFeatures(db: Database, key: string, prep: number, rows: Array<{ hash: string; data: Float32Array }>): void {
  const stmt = db.prepare('INSERT OR REPLACE INTO features (hash, backbone, prep, dim, data) VALUES (?, ?, ?, ?, ?)')
  db.transaction(() => {
    for (const r of rows) stmt.run(r.hash, key, prep, r.data.length, toBlob(r.data))
  })()
}

export interface FeatureMatrix {
  x: Float32Array
  dim: number
  missing: Set<number>
}

/**
 * Features for the given hashes as one row-major matrix (rows in `hashes` order); a composite key's
 * parts side by side, in its order. Rows without features (in any part) are reported in `missing` and
 * left as zeros; callers drop them.
 */
export function loadFeatureMatrix(db: Database, key: string, prep: number, hashes: readonly string[]): FeatureMatrix {
  const parts = splitKey(key, prep).map((p) => loadPartMatrix(db, p.key, p.prep, hashes))
  if (parts.length === 1) return parts[0] as FeatureMatrix
  const missing = new Set(parts.flatMap((p) => [...p.missing]))
  // A part with no row at all has no known size; every row is then missing and the size stays 0.
  if (parts.some((p) => p.dim === 0)) return { x: new Float32Array(0), dim: 0, missing: new Set(hashes.map((_, i) => i)) }
  const dim = parts.reduce((sum, p) => sum + p.dim, 0)
  const x = new Float32Array(hashes.length * dim)
  for (let r = 0; r < hashes.length; r++) {
    let at = r * dim
    for (const p of parts) {
      x.set(p.x.subarray(r * p.dim, (r + 1) * p.dim), at)
      at += p.dim
    }
  }
  return { x, dim, missing }
}

function loadPartMatrix(db: Database, key: string, prep: number, hashes: readonly string[]): FeatureMatrix {
  const stmt = db.prepare('SELECT dim, data FROM features WHERE hash = ? AND backbone = ? AND prep = ?')
  let dim = 0
  let x = new Float32Array(0)
  const missing = new Set<number>()
  hashes.forEach((h, i) => {
    const row = stmt.get(h, key, prep) as { dim: number; data: Buffer } | undefined
    if (!row) {
      missing.add(i)
      return
    }
    if (dim === 0) {
      dim = row.dim
      x = new Float32Array(hashes.length * dim)
    }
    if (row.dim !== dim) throw new Error(`feature cache holds mixed sizes for ${key}: ${row.dim} and ${dim}`)
    new Uint8Array(x.buffer, i * dim * 4, dim * 4).set(row.data)
  })
  return { x, dim, missing }
}

export function deleteFeatures(db: Database, key: string): number {
  return db.prepare('DELETE FROM features WHERE backbone = ?').run(key).changes
}
