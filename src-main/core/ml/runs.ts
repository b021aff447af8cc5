import type { Database } from 'better-sqlite3'
import { TagsmithError } from '../errors.ts'
import { fromBlob } from './feature-cache.ts'
import type { HeadWeights } from './head.ts'
import type { Metrics } from './metrics.ts'
import type { EpochEvent, TrainConfig } from './train.ts'
import { storedTrainConfig } from './train-config.ts'

// SQL for the runs table (migrations 0020, 0030, 0050): everything a trained run needs to predict again.

export interface RunBackbone {
  /** the preset the run was trained with, when one was */
  preset?: string
  id: string
  key: string
  name: string
  source: 'bundled' | 'url' | 'folder'
  featureLayers: string[]
  /** custom model folder, for runs on one */
  folder?: string
  inputSize: number
  normalisation: { mean: number[]; std: number[] }
  prep: number
  /** colour statistics joined to the features (a design name), for composite features */
  colour?: string
  /** further models whose taps are joined, for composite features */
  also?: Array<{ id: string; name: string; featureLayers: string[]; inputSize: number }>
}

export interface RunRecord {
  id: number
  createdAt: string
  config: TrainConfig
  backbone: RunBackbone
  labels: string[]
  labelSnapshot: string
  history: EpochEvent[]
  /** the epoch whose weights the head has (early stopping); null when it has the last epoch's */
  bestEpoch: number | null
  metrics: Metrics
  thresholds: number[] | null
  /** the thresholds last tuned on the run's validation rows */
  tunedThresholds: number[] | null
  groups: string[][] | null
  /** the groups' names by position ('' for none); null or absent for runs stored before names */
  groupNames?: string[] | null
  backend: string
  head: HeadWeights
  timings: { extractSeconds: number; trainSeconds: number }
  /** who trained it; null for runs stored before runs had authors */
  author: string | null
}

/** A run to store; bestEpoch left out: the head is the last epoch's; author left out: nobody named. */
export type NewRun = Omit<RunRecord, 'id' | 'createdAt' | 'tunedThresholds' | 'bestEpoch' | 'author'> & { bestEpoch?: number | null; author?: string | null }

const blob = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength)

export function insertRun(db: Database, run: NewRun): number {
  const info = db
    .prepare(
      `INSERT INTO runs (created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics,
         thresholds, groups, backend, dim, std_mean, std_scale, head_kernel, head_bias, timings,
         hidden_units, hidden_kernel, hidden_bias, best_epoch, group_names, author)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      new Date().toISOString(),
      JSON.stringify(run.config),
      JSON.stringify(run.backbone),
      run.backbone.key,
      run.backbone.prep,
      JSON.stringify(run.labels),
      run.labelSnapshot,
      JSON.stringify(run.history),
      JSON.stringify(run.metrics),
      run.thresholds ? JSON.stringify(run.thresholds) : null,
      run.groups ? JSON.stringify(run.groups) : null,
      run.backend,
      run.head.dim,
      blob(run.head.mean),
      blob(run.head.scale),
      blob(run.head.kernel),
      blob(run.head.bias),
      JSON.stringify(run.timings),
      run.head.hidden?.units ?? null,
      run.head.hidden ? blob(run.head.hidden.kernel) : null,
      run.head.hidden ? blob(run.head.hidden.bias) : null,
      run.bestEpoch ?? null,
      run.groups && run.groupNames ? JSON.stringify(run.groupNames) : null,
      run.author ?? null,
    )
  return Number(info.lastInsertRowid)
}

interface RunRow {
  id: number
  created_at: string
  config: string
  backbone: string
  labels: string
  label_snapshot: string
  history: string
  metrics: string
  thresholds: string | null
  tuned_thresholds: string | null
  groups: string | null
  backend: string
  dim: number
  std_mean: Buffer
  std_scale: Buffer
  head_kernel: Buffer
  head_bias: Buffer
  timings: string
  hidden_units: number | null
  hidden_kernel: Buffer | null
  hidden_bias: Buffer | null
  best_epoch: number | null
  group_names: string | null
  author: string | null
}

function fromRow(r: RunRow): RunRecord {
  const labels = JSON.parse(r.labels) as string[]
  return {
    id: r.id,
    createdAt: r.created_at,
    config: storedTrainConfig(JSON.parse(r.config) as TrainConfig),
    backbone: JSON.parse(r.backbone) as RunBackbone,
    labels,
    labelSnapshot: r.label_snapshot,
    history: JSON.parse(r.history) as EpochEvent[],
    bestEpoch: r.best_epoch,
    metrics: JSON.parse(r.metrics) as Metrics,
    thresholds: r.thresholds ? (JSON.parse(r.thresholds) as number[]) : null,
    tunedThresholds: r.tuned_thresholds ? (JSON.parse(r.tuned_thresholds) as number[]) : null,
    groups: r.groups ? (JSON.parse(r.groups) as string[][]) : null,
    groupNames: r.group_names ? (JSON.parse(r.group_names) as string[]) : null,
    backend: r.backend,
    head: {
      dim: r.dim,
      numLabels: labels.length,
      mean: fromBlob(r.std_mean),
      scale: fromBlob(r.std_scale),
      ...(r.hidden_units !== null && r.hidden_kernel && r.hidden_bias
        ? { hidden: { units: r.hidden_units, kernel: fromBlob(r.hidden_kernel), bias: fromBlob(r.hidden_bias) } }
        : {}),
      kernel: fromBlob(r.head_kernel),
      bias: fromBlob(r.head_bias),
    },
    timings: JSON.parse(r.timings) as RunRecord['timings'],
    author: r.author,
  }
}

/** A run by id, or the latest when id is undefined. */
export function getRun(db: Database, id?: number): RunRecord {
  const row = (
    id === undefined ? db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1').get() : db.prepare('SELECT * FROM runs WHERE id = ?').get(id)
  ) as RunRow | undefined
  if (!row) throw new TagsmithError('NOT_FOUND', id === undefined ? 'this project has no trained run yet: train first' : `no run ${id} in this project`)
  return fromRow(row)
}

/** A run as the runs table lists it, with its full metrics (the contract's RunSummary keeps the headline). */
export interface StoredRunSummary {
  id: number
  createdAt: string
  backbone: string
  preset: string | null
  config: TrainConfig
  metrics: Metrics
  author: string | null
}

export function listRuns(db: Database): StoredRunSummary[] {
  const rows = db.prepare('SELECT id, created_at, backbone, config, metrics, author FROM runs ORDER BY id').all() as Array<
    Pick<RunRow, 'id' | 'created_at' | 'backbone' | 'config' | 'metrics' | 'author'>
  >
  return rows.map((r) => {
    const backbone = JSON.parse(r.backbone) as RunBackbone
    return {
      id: r.id,
      createdAt: r.created_at,
      backbone: backbone.id,
      preset: backbone.preset ?? null,
      config: storedTrainConfig(JSON.parse(r.config) as TrainConfig),
      metrics: JSON.parse(r.metrics) as Metrics,
      author: r.author,
    }
  })
}

/** Deletes a run; its stored predictions go with it (ON DELETE CASCADE). */
export function deleteRun(db: Database, id: number): void {
  db.prepare('DELETE FROM runs WHERE id = ?').run(id)
}

/** Makes `thresholds` a run's current ones; `tuned` also records them as the last tuned. */
export function setRunThresholds(db: Database, id: number, thresholds: readonly number[], opts: { tuned?: boolean } = {}): void {
  const json = JSON.stringify(thresholds)
  const sql = opts.tuned ? 'UPDATE runs SET thresholds = ?, tuned_thresholds = ? WHERE id = ?' : 'UPDATE runs SET thresholds = ? WHERE id = ?'
  const info = opts.tuned ? db.prepare(sql).run(json, json, id) : db.prepare(sql).run(json, id)
  if (info.changes === 0) throw new TagsmithError('NOT_FOUND', `no run ${id} in this project`)
}
