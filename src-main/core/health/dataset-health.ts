// A project's dataset health report: the label figures and the near-duplicate pairs in one answer.
import type { DatasetHealth, NearDuplicate } from '../../../src-preload/contract.ts'
import type { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import { TagsmithError } from '../errors.ts'
import { checkGroups, GROUPS_SETTING } from '../ml/label-groups.ts'
import { healthFeatures } from './feature-source.ts'
import { labelHealth } from './label-health.ts'
import { DEFAULT_SIMILARITY, findSimilarPairs, type SearchOptions } from './near-duplicates.ts'

export interface HealthOptions {
  /** cosine similarity at or above which two images count as near-duplicates (default 0.9) */
  similarity?: number
  signal?: AbortSignal
  onProgress?: (p: { done: number; total: number; phase: string }) => void
  /** for benches and tests: the search's engine and block size */
  search?: Pick<SearchOptions, 'engine' | 'blockRows' | 'maxPairs' | 'scaling'>
}

/** The declared label groups that still fit the project's labels (a stale setting is reported, not fatal). */
function declaredGroups(project: Project): string[][] {
  const groups = project.getSetting<string[][]>(GROUPS_SETTING) ?? []
  try {
    checkGroups(groups, project.labels())
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `the project's label groups do not fit its labels: ${err instanceof Error ? err.message : String(err)}`)
  }
  return groups
}

export async function nearDuplicates(
  project: Project,
  rows: readonly ImageRecord[],
  opts: HealthOptions = {},
): Promise<DatasetHealth['nearDuplicates']> {
  const threshold = opts.similarity ?? DEFAULT_SIMILARITY
  if (!(threshold > 0 && threshold <= 1)) throw new TagsmithError('BAD_INPUT', `similarity must be above 0 and at most 1, got ${threshold}`)
  const features = healthFeatures(project.db, rows)
  if (!features) return { threshold, backbone: null, withoutFeatures: rows.length, pairs: [] }
  const split = new Map(rows.map((r) => [r.id, r.split]))
  const found = await findSimilarPairs(features.x, features.imageIds.length, features.dim, {
    ...opts.search,
    threshold,
    signal: opts.signal,
    onProgress: (p) => opts.onProgress?.({ ...p, phase: 'near-duplicates' }),
  })
  const pairs: NearDuplicate[] = found.pairs.map((p) => {
    const a = features.imageIds[p.a] ?? -1
    const b = features.imageIds[p.b] ?? -1
    return { a, b, similarity: Math.min(1, p.similarity), crossSplit: split.get(a) !== split.get(b) }
  })
  return { threshold, backbone: features.source.key, withoutFeatures: features.without, pairs }
}

export async function datasetHealth(project: Project, opts: HealthOptions = {}): Promise<DatasetHealth> {
  const rows = project.images()
  const labels = labelHealth(project.stats(), rows, declaredGroups(project))
  return { ...labels, nearDuplicates: await nearDuplicates(project, rows, opts) }
}
