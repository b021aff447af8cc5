// Which cached features the near-duplicate search compares: those of the latest run's backbone, or,
// before any run, the default backbone's when extraction has already filled some.
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

function latestRunSource(db: Database): FeatureSource | null {
  try {
    const run = getRun(db)
    return { key: run.backbone.key, prep: run.backbone.prep }
  } catch (err) {
    if (err instanceof TagsmithError && err.code === 'NOT_FOUND') return null
    throw err
  }
}

function defaultSource(): FeatureSource {
  const spec = resolveBackbone(undefined)
  return { key: cacheKeyOf(spec), prep: prepVersion(spec) }
}

/** The features to search, or null when neither a run nor the default backbone has cached any. */
export function healthFeatures(db: Database, rows: readonly ImageRecord[]): HealthFeatures | null {
  const run = latestRunSource(db)
  const source = run ?? defaultSource()
  const readable = rows.filter((r): r is ImageRecord & { hash: string } => r.status === 'ok' && r.hash !== null)
  const m = loadFeatureMatrix(
    db,
    source.key,
    source.prep,
    readable.map((r) => r.hash),
  )
  if (!run && m.missing.size === readable.length) return null
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
