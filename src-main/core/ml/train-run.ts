import crypto from 'node:crypto'
import type { Project } from '../dataset/project.ts'
import type { ImageRecord } from '../dataset/types.ts'
import type { BackboneSpec } from './backbones/catalog.ts'
import { groupIndices } from './decode.ts'
import { prepVersion, type ExtractImage, type ExtractReport } from './extract.ts'
import type { Metrics } from './metrics.ts'
import type { EngineName } from './onnx/engines.ts'
import type { RunBackbone } from './runs.ts'
import type { EpochEvent } from './train.ts'

// The pieces of a training run that do not depend on where it runs: the label snapshot, the images to
// extract, the backbone as a run records it, and what a finished run reports.

/** Features of a run's images, and how they were obtained. */
export type Extraction = Pick<ExtractReport, 'key' | 'prep' | 'total' | 'cached' | 'computed' | 'skipped'> & {
  /** the engine that extracted features (the one chosen, when every feature was cached) */
  engine: EngineName
}

export interface TrainOutcome {
  runId: number
  backend: string
  device: string
  /** the engine that extracted features (the one chosen, when every feature was cached) */
  engine: EngineName
  backbone: string
  timings: { extractSeconds: number; trainSeconds: number }
  extraction: { total: number; cached: number; computed: number; skipped: Extraction['skipped'] }
  rows: { train: number; val: number; valSource: 'val' | 'holdout' }
  history: EpochEvent[]
  metrics: Metrics
  /** images whose probabilities were stored with the run, and the time the k-fold heads took */
  predictions: { rows: number; seconds: number }
}

/** The labels a run was trained on, as a hash: a later edit makes the snapshot differ. */
export function labelSnapshot(labels: readonly string[], rows: ReadonlyArray<Pick<ImageRecord, 'id' | 'labels'>>): string {
  const h = crypto.createHash('sha256')
  h.update(JSON.stringify(labels))
  for (const r of rows) h.update(`${r.id}:${r.labels.map((v) => (v === null ? '-' : String(v))).join('')}\n`)
  return h.digest('hex')
}

export function runBackbone(spec: BackboneSpec, key: string): RunBackbone {
  return {
    id: spec.id,
    key,
    name: spec.name,
    source: spec.source,
    featureLayers: spec.featureLayers,
    ...(spec.folder ? { folder: spec.folder } : {}),
    inputSize: spec.inputSize,
    normalisation: { mean: [...spec.normalisation.mean], std: [...spec.normalisation.std] },
    prep: prepVersion(spec),
  }
}

/** The readable images of `rows`, as extraction takes them. */
export function extractable(project: Project, rows: readonly ImageRecord[]): ExtractImage[] {
  const out: ExtractImage[] = []
  for (const r of rows) {
    if (r.status !== 'ok' || !r.hash) continue
    const absPath = project.imagePath(r.id)
    if (absPath) out.push({ id: r.id, absPath, hash: r.hash })
  }
  return out
}

/** The project's declared label groups, checked against its labels; null when none. */
export function projectGroups(project: Project, labels: readonly string[]): string[][] | null {
  const groups = project.getSetting<string[][]>('groups')
  if (!groups || groups.length === 0) return null
  groupIndices(labels, groups) // throws on a stale label name
  return groups
}
