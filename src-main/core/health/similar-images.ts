// Similar images: cosine similarity of one image's cached features with every other image's. The
// L2-normalised feature matrix is kept per (project file, feature key), so a query is one matrix-vector
// product; it is built again only when the images it was built from change or some of them gain features.
import { createHash } from 'node:crypto'
import type { Database } from 'better-sqlite3'
import type { SimilarImages } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import type { ImageStatus } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { cachedHashes } from '../ml/feature-cache.ts'
import { featureSource, healthFeatures, type FeatureSource } from './feature-source.ts'
import { prepareRows } from './near-duplicates.ts'

export const DEFAULT_SIMILAR_TOP = 200
export const MAX_SIMILAR_TOP = 5000

/** Matrices kept at once: the active run's features and one other (a run compared a moment ago). */
const KEPT = 2

/** The unit-length feature rows of the images that have features under one key. */
export interface SimilarMatrix {
  source: FeatureSource
  /** image id of each row */
  ids: Int32Array
  /** row of each image id */
  rows: Map<number, number>
  /** n × dim, row-major, each row of length 1 (or 0 for an all-zero feature vector) */
  x: Float32Array
  dim: number
  /** images of the project without features under the key */
  missing: number
}

interface Kept {
  db: Database
  /** SQLite's count of commits by other connections and of changes by this one, when last checked */
  stamp: string
  /** the images the matrix was built from: the readable ones' ids and content hashes */
  signature: string
  /** content hashes of the readable images that had no features then */
  without: string[]
  matrix: SimilarMatrix
}

type ImageKey = [id: number, status: ImageStatus, hash: string | null]

function imageKeys(db: Database): ImageKey[] {
  return db.prepare('SELECT id, status, hash FROM images ORDER BY id').raw().all() as ImageKey[]
}

/**
 * Changes to the file since the last look: data_version moves with every commit of another connection (a
 * training or extraction process, the CLI), total_changes() with every row this connection changed.
 */
function stampOf(db: Database): string {
  const version = db.pragma('data_version', { simple: true }) as number
  const changes = db.prepare('SELECT total_changes()').pluck().get() as number
  return `${version}:${changes}`
}

/** The readable images' ids and content hashes, and how many images there are. */
function imagesSignature(images: readonly ImageKey[]): string {
  const h = createHash('sha256')
  for (const [id, status, hash] of images) if (status === 'ok' && hash !== null) h.update(`${id}:${hash};`)
  h.update(`images=${images.length}`)
  return h.digest('hex')
}

function buildMatrix(db: Database, source: FeatureSource, images: readonly ImageKey[]): { matrix: SimilarMatrix; without: string[] } {
  const f = healthFeatures(
    db,
    images.map(([id, status, hash]) => ({ id, status, hash })),
    source,
  )
  const n = f.imageIds.length
  prepareRows(f.x, n, f.dim, 'none')
  const ids = Int32Array.from(f.imageIds)
  const rows = new Map<number, number>()
  ids.forEach((id, i) => rows.set(id, i))
  const without = new Set<string>()
  for (const [id, status, hash] of images) if (status === 'ok' && hash !== null && !rows.has(id)) without.add(hash)
  return { matrix: { source, ids, rows, x: f.x.subarray(0, n * f.dim), dim: f.dim, missing: f.without }, without: [...without] }
}

/**
 * Whether a kept matrix still holds what the file does: the same images, and none of those without
 * features has gained any (an extraction or a training run cached them). Features are stored once per
 * image content and never rewritten with other values, so rows already in the matrix stay right.
 */
function stillHolds(db: Database, kept: Kept, source: FeatureSource, signature: string): boolean {
  return kept.signature === signature && cachedHashes(db, source.key, source.prep, kept.without).size === 0
}

/** The kept matrices of one service (or one CLI run): at most KEPT, the most recently used first. */
export class SimilarityIndex {
  #kept = new Map<string, Kept>()

  /** The matrix of `source` for this project, built or checked against the file first. */
  matrix(project: Project, source: FeatureSource): SimilarMatrix {
    const db = project.db
    const id = JSON.stringify([project.file, source.key, source.prep])
    const kept = this.#kept.get(id)
    const stamp = stampOf(db)
    let entry: Kept
    if (kept !== undefined && kept.db === db && kept.stamp === stamp) {
      entry = kept
    } else {
      const images = imageKeys(db)
      const signature = imagesSignature(images)
      entry = kept !== undefined && stillHolds(db, kept, source, signature) ? { ...kept, db, stamp } : { db, stamp, signature, ...buildMatrix(db, source, images) }
    }
    // Another project's matrices are of no further use.
    for (const [k, v] of this.#kept) if (v.db !== db) this.#kept.delete(k)
    this.#kept.delete(id)
    this.#kept.set(id, entry)
    while (this.#kept.size > KEPT) this.#kept.delete(this.#kept.keys().next().value as string)
    return entry.matrix
  }

  /** How many matrices are kept (for tests). */
  get size(): number {
    return this.#kept.size
  }

  clear(): void {
    this.#kept.clear()
  }
}

export interface SimilarQuery {
  imageId: number
  /** the run whose features are compared (default: the latest; a run that is gone: the latest) */
  runId?: number
  /** images answered, the query included (default 200) */
  top?: number
}

/** Cosine similarity of row `q` with every row: one matrix-vector product. */
export function similarities(m: Pick<SimilarMatrix, 'x' | 'dim' | 'ids'>, q: number): Float64Array {
  const { x, dim } = m
  const n = m.ids.length
  // A copy of the query row and four running sums: about twice as fast as a view and one sum.
  const v = x.slice(q * dim, (q + 1) * dim)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let s0 = 0
    let s1 = 0
    let s2 = 0
    let s3 = 0
    let at = i * dim
    let k = 0
    for (; k + 3 < dim; k += 4, at += 4) {
      s0 += (x[at] as number) * (v[k] as number)
      s1 += (x[at + 1] as number) * (v[k + 1] as number)
      s2 += (x[at + 2] as number) * (v[k + 2] as number)
      s3 += (x[at + 3] as number) * (v[k + 3] as number)
    }
    for (; k < dim; k++, at++) s0 += (x[at] as number) * (v[k] as number)
    const s = s0 + s1 + s2 + s3
    out[i] = s > 1 ? 1 : s < -1 ? -1 : s
  }
  return out
}

/** Row indices of the `k` largest values, largest first (ties: lower row first), leaving out `skip`. */
export function topRows(values: Float64Array, k: number, skip: number): number[] {
  const order: number[] = []
  for (let i = 0; i < values.length; i++) if (i !== skip) order.push(i)
  order.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b)
  return order.slice(0, Math.max(0, k))
}

/** The images most like one image, the query first; NOT_FOUND when it or the project has no features. */
export function similarImages(project: Project, index: SimilarityIndex, query: SimilarQuery): SimilarImages {
  const top = query.top ?? DEFAULT_SIMILAR_TOP
  if (!(Number.isInteger(top) && top >= 1 && top <= MAX_SIMILAR_TOP)) throw new TagsmithError('BAD_INPUT', `top must be a whole number from 1 to ${MAX_SIMILAR_TOP}, got ${top}`)
  const record = project.image(query.imageId)
  if (!record) throw new TagsmithError('NOT_FOUND', `no image with id ${query.imageId}`)
  const source = featureSource(project.db, query.runId)
  if (!source) throw new TagsmithError('NOT_FOUND', `${record.path} has no features: this project has none cached yet; train or extract first`)
  if (record.status !== 'ok') throw new TagsmithError('NOT_FOUND', `${record.path} has no features for ${source.name}: the image is ${record.status}`)
  const m = index.matrix(project, source)
  const q = m.rows.get(record.id)
  if (q === undefined) throw new TagsmithError('NOT_FOUND', `${record.path} has no features for ${source.name}: train or extract first`)
  const sims = similarities(m, q)
  const items = [{ id: record.id, similarity: sims[q] as number }]
  for (const i of topRows(sims, top - 1, q)) items.push({ id: m.ids[i] as number, similarity: sims[i] as number })
  return { query: record.id, runId: source.runId ?? null, featureKey: source.key, features: source.name, items, missing: m.missing }
}
