// Which cached features the near-duplicate search compares: those of the run asked for (the app's active
// run; default the latest) or, before any run, the default backbone's when extraction has filled some.
import type { Database } from 'better-sqlite3'
import type { ImageRecord } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { resolveBackbone } from '../ml/backbones/catalog.ts'
import { cacheKeyOf } from '../ml/backbones/load.ts'
import { prepVersion } from '../ml/extract.ts'
import { loadFeatureMatrix } from '../ml/feature-cache.ts'
import { getRun } from '../ml/runs.ts'

export interface FeatureSource {
  key: string
  prep: number
  /** the backbone's display name (the catalog's) */
  name: string
  /** the run whose features these are; absent for the default backbone's before any run */
  runId?: number
}

export interface HealthFeatures {
  source: FeatureSource
  /** image ids of the rows of x, in project order */
  imageIds: number[]
  x: Float32Array
  dim: number
  /** images left out: no cached features under this key (not extracted yet, or unreadable) */
  without: number
}

function runSource(db: Database, runId?: number): FeatureSource | null {
  try {
    const run = getRun(db, runId)
    return { key: run.backbone.key, prep: run.backbone.prep, name: run.backbone.name, runId: run.id }
  } catch (err) {
    if (err instanceof TagsmithError && err.code === 'NOT_FOUND') return null
    throw err
  }
}

function defaultSource(): FeatureSource {
  const spec = resolveBackbone(undefined)
  return { key: cacheKeyOf(spec), prep: prepVersion(spec), name: spec.name }
}

/** The run's feature cache (default: the latest run's; a run that is gone: the latest's), else the default backbone's when it holds any rows; null when none. */
export function featureSource(db: Database, runId?: number): FeatureSource | null {
  const run = (runId === undefined ? null : runSource(db, runId)) ?? runSource(db)
  if (run) return run
  const fallback = defaultSource()
  return cachedCount(db, fallback) > 0 ? fallback : null
}

/** Rows cached under a source (for every project sharing the file's cache, not only this one's images). */
export function cachedCount(db: Database, source: FeatureSource): number {
  return db.prepare('SELECT count(*) FROM features WHERE backbone = ? AND prep = ?').pluck().get(source.key, source.prep) as number
}

/** The readable images' features under `source`, in project order; images without any are counted. */
export function healthFeatures(db: Database, rows: ReadonlyArray<Pick<ImageRecord, 'id' | 'status' | 'hash'>>, source: FeatureSource): HealthFeatures {
  const readable = rows.filter((r): r is Pick<ImageRecord, 'id' | 'status'> & { hash: string } => r.status === 'ok' && r.hash !== null)
  const m = loadFeatureMatrix(
    db,
    source.key,
    source.prep,
    readable.map((r) => r.hash),
  )
  const kept = readable.length - m.missing.size
  const x = m.missing.size === 0 ? m.x : new Float32Array(kept * m.dim)
  const imageIds: number[] = []
  readable.forEach((r, i) => {
    if (m.missing.has(i)) return
    if (x !== m.x) x.set(m.x.subarray(i * m.dim, (i + 1) * m.dim), imageIds.length * m.dim)
    imageIds.push(r.id)
  })
  return { source, imageIds, x, dim: m.dim, without: rows.length - imageIds.length }
}
