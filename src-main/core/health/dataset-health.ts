// A project's dataset health report: the label figures and the near-duplicate pairs in one answer.
import { createHash } from 'node:crypto'
import type { DatasetHealth, NearDuplicate } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { checkGroups, GROUPS_SETTING } from '../ml/label-groups.ts'
import { cachedCount, featureSource, type FeatureSource } from './feature-source.ts'
import { labelHealth } from './label-health.ts'
import {
  searchNearDuplicates,
  type NearDuplicateOutcome as SearchOutcome,
  type NearDuplicateRequest,
  type NearDuplicateSearcher,
  type SearchProgress,
} from './near-duplicate-search.ts'
import { DEFAULT_SIMILARITY, MAX_PAIRS } from './near-duplicates.ts'

/**
 * Keeps a service's last near-duplicate search by what it depends on: the project file, the feature
 * cache (key and row count), the threshold, and every readable image's id and content hash. Label edits
 * and split changes leave it valid (cross-split flags are worked out on every answer).
 */
export class NearDuplicateMemo {
  #last: { signature: string; outcome: SearchOutcome } | null = null

  get(signature: string): SearchOutcome | null {
    return this.#last?.signature === signature ? this.#last.outcome : null
  }

  set(signature: string, outcome: SearchOutcome): void {
    this.#last = { signature, outcome }
  }
}

export interface HealthOptions {
  /** cosine similarity at or above which two images count as near-duplicates (default 0.9) */
  similarity?: number
  /** the run whose features the near-duplicate search compares (default: the latest) */
  runId?: number
  signal?: AbortSignal
  onProgress?: (p: SearchProgress) => void
  /** for benches and tests: the search's engine and block size */
  search?: NearDuplicateRequest['search']
  /** the last search, reused when nothing it depends on changed */
  memo?: NearDuplicateMemo
  /** where the search runs (default: here, on the project's own connection) */
  searcher?: NearDuplicateSearcher
}

/** The declared label groups, checked against the project's labels. */
function declaredGroups(project: Project): string[][] {
  const groups = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
  try {
    checkGroups(groups, project.labels())
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `the project's label groups do not fit its labels: ${err instanceof Error ? err.message : String(err)}`)
  }
  return groups
}

function signature(project: Project, rows: readonly ImageRecord[], source: FeatureSource, threshold: number, opts: HealthOptions): string {
  const h = createHash('sha256')
  h.update(JSON.stringify([project.file, source.key, source.prep, cachedCount(project.db, source), rows.length, threshold, opts.search ?? null]))
  for (const r of rows) if (r.status === 'ok' && r.hash !== null) h.update(`${r.id}:${r.hash};`)
  return h.digest('hex')
}

/**
 * Pairs of images whose files have the same content hash (at most `cap`): copies whatever the features
 * say, known from import on, before any feature exists.
 */
export function identicalFiles(rows: readonly ImageRecord[], cap: number): SearchOutcome['pairs'] {
  const byHash = new Map<string, number[]>()
  for (const r of rows) {
    if (r.status !== 'ok' || r.hash === null) continue
    const ids = byHash.get(r.hash)
    if (ids) ids.push(r.id)
    else byHash.set(r.hash, [r.id])
  }
  const pairs: SearchOutcome['pairs'] = []
  for (const ids of byHash.values()) {
    for (let i = 0; i < ids.length; i++) {
      for (let j = i + 1; j < ids.length; j++) {
        if (pairs.length >= cap) return pairs
        pairs.push({ a: ids[i] ?? -1, b: ids[j] ?? -1, similarity: 1 })
      }
    }
  }
  return pairs
}

/** Both lists, each pair once at its higher similarity, most similar first, at most `cap`. */
function merged(a: SearchOutcome['pairs'], b: SearchOutcome['pairs'], cap: number): SearchOutcome['pairs'] {
  const byPair = new Map<string, SearchOutcome['pairs'][number]>()
  for (const p of [...a, ...b]) {
    const lo = Math.min(p.a, p.b)
    const hi = Math.max(p.a, p.b)
    const key = `${lo}-${hi}`
    const seen = byPair.get(key)
    if (!seen || seen.similarity < p.similarity) byPair.set(key, { a: lo, b: hi, similarity: p.similarity })
  }
  return [...byPair.values()].sort((p, q) => q.similarity - p.similarity || p.a - q.a || p.b - q.b).slice(0, cap)
}

export async function nearDuplicates(
  project: Project,
  rows: readonly ImageRecord[],
  opts: HealthOptions = {},
): Promise<DatasetHealth['nearDuplicates']> {
  const threshold = opts.similarity ?? DEFAULT_SIMILARITY
  if (!(threshold > 0 && threshold <= 1)) throw new TagsmithError('BAD_INPUT', `similarity must be above 0 and at most 1, got ${threshold}`)
  const cap = opts.search?.maxPairs ?? MAX_PAIRS
  const split = new Map(rows.map((r) => [r.id, r.split]))
  const flagged = (pairs: SearchOutcome['pairs']): NearDuplicate[] => pairs.map((p) => ({ ...p, crossSplit: split.get(p.a) !== split.get(p.b) }))
  const identical = identicalFiles(rows, cap)
  const source = featureSource(project.db, opts.runId)
  if (!source) return { threshold, backbone: null, withoutFeatures: rows.length, pairs: flagged(merged(identical, [], cap)) }
  const key = opts.memo ? signature(project, rows, source, threshold, opts) : ''
  let outcome = opts.memo?.get(key) ?? null
  if (outcome) {
    opts.onProgress?.({ done: 1, total: 1, phase: 'near-duplicates' })
  } else {
    const searcher = opts.searcher ?? ((request, o) => searchNearDuplicates(project.db, request, o))
    const request: NearDuplicateRequest = { rows: rows.map(({ id, status, hash }) => ({ id, status, hash })), source, threshold, search: opts.search }
    outcome = await searcher(request, { signal: opts.signal, onProgress: opts.onProgress })
    opts.memo?.set(key, outcome)
  }
  return { threshold, backbone: outcome.backbone, features: source.name, withoutFeatures: outcome.withoutFeatures, pairs: flagged(merged(identical, outcome.pairs, cap)) }
}

export async function datasetHealth(project: Project, opts: HealthOptions = {}): Promise<DatasetHealth> {
  const rows = project.images()
  const labels = labelHealth(project.stats(), rows, declaredGroups(project))
  return { ...labels, nearDuplicates: await nearDuplicates(project, rows, opts) }
}
