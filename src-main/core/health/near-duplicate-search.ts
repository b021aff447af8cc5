// The near-duplicate search of one project file's cached features, as a health report asks for it: the
// readable images' features under one cache key, every pair at or above the threshold, by image id. The
// service runs it in a child process (jobs/kinds/near-duplicates.ts); the CLI and tests run it here.
import type { Database } from 'better-sqlite3'
import type { NearDuplicate } from '../../../src-preload/contract.ts'
import type { ImageRecord } from '../dataset/types.ts'
import { healthFeatures, type FeatureSource } from './feature-source.ts'
import { findSimilarPairs, type SearchOptions } from './near-duplicates.ts'

export interface NearDuplicateRequest {
  /** the project's rows; only readable ones with a content hash are compared */
  rows: Array<Pick<ImageRecord, 'id' | 'status' | 'hash'>>
  source: FeatureSource
  threshold: number
  /** for benches and tests: the search's engine and block size */
  search?: Pick<SearchOptions, 'engine' | 'blockRows' | 'maxPairs' | 'scaling'>
}

/** What a search found, by image id, before the splits are looked at. */
export interface NearDuplicateOutcome {
  backbone: string
  withoutFeatures: number
  /** the contract's NearDuplicate before the splits say whether it crosses them */
  pairs: Array<Omit<NearDuplicate, 'crossSplit'>>
}

/** Blocks of the search done (phase 'near-duplicates'). */
export interface SearchProgress {
  phase: string
  done: number
  total: number
}

export type NearDuplicateSearcher = (
  request: NearDuplicateRequest,
  opts: { signal?: AbortSignal; onProgress?: (p: SearchProgress) => void },
) => Promise<NearDuplicateOutcome>

export async function searchNearDuplicates(
  db: Database,
  request: NearDuplicateRequest,
  opts: { signal?: AbortSignal; onProgress?: (p: SearchProgress) => void } = {},
): Promise<NearDuplicateOutcome> {
  const features = healthFeatures(db, request.rows, request.source)
  const found = await findSimilarPairs(features.x, features.imageIds.length, features.dim, {
    ...request.search,
    threshold: request.threshold,
    signal: opts.signal,
    onProgress: (p) => opts.onProgress?.({ ...p, phase: 'near-duplicates' }),
  })
  return {
    backbone: request.source.key,
    withoutFeatures: features.without,
    pairs: found.pairs.map((p) => ({ a: features.imageIds[p.a] ?? -1, b: features.imageIds[p.b] ?? -1, similarity: Math.min(1, p.similarity) })),
  }
}
