// Training settings, backends and backbones, runs and their metrics, training progress.
import type { JobProgress } from './jobs.ts'

/** What a user may set for a training run; anything left out takes the engine's default. */
export interface TrainSettings {
  /** a preset: the features and head settings one click trains with (default: the catalog's default preset) */
  preset?: string
  /** a backbone catalog id, or a folder holding a TF.js model.json, trained on alone instead of a preset */
  backbone?: string
  epochs?: number
  /** Adam learning rate */
  learningRate?: number
  /** rows per step; left out: chosen from the number of training rows */
  batchSize?: number
  seed?: number
  /** weight of the L2 penalty on the head's kernel */
  l2?: number
  /** weight positives by label rarity (pos_weight = negatives / positives) */
  classWeighting?: boolean
  /** units of the head's hidden ReLU layer; 0 = a linear head */
  hiddenUnits?: number
  /** share of hidden units dropped in each training step (0 to below 1) */
  dropout?: number
  /** stop when the validation loss has not improved for `patience` epochs, and keep the best epoch */
  earlyStopping?: boolean
  patience?: number
  /** the feature extraction engine; left out: the fastest that works here */
  engine?: EngineName
}

/** The settings a run was trained with, as stored (batchSize 0 = chosen automatically). */
export interface TrainConfig {
  epochs: number
  learningRate: number
  batchSize: number
  l2: number
  classWeighting: boolean
  seed: number
  /** 0 = a linear head */
  hiddenUnits: number
  dropout: number
  earlyStopping: boolean
  /** epochs without a lower validation loss before training stops */
  patience: number
}

/** The TF.js backend doing the maths, and the ones tried before it. */
export interface BackendInfo {
  /** 'tensorflow' (native), 'wasm' or 'cpu' */
  backend: string
  /** e.g. 'CPU (WASM SIMD, 2 threads)', 'CUDA GPU' */
  device: string
  tried: Array<{ name: string; error: string }>
}

/** One entry of the backbone catalog, as a picker shows it. */
export interface BackboneChoice {
  id: string
  name: string
  source: 'bundled' | 'url' | 'folder'
  inputSize: number
  featureLayers: string[]
  notes?: string
}

/** A preset as the Train panel offers it: what its features join, and the head settings it brings. */
export interface PresetChoice {
  id: string
  name: string
  description: string
  /** display names of the parts its features join, in order */
  parts: string[]
  head: { hiddenUnits?: number; dropout?: number; earlyStopping?: boolean; patience?: number; epochs?: number; learningRate?: number; l2?: number }
}

/** Engines that can run a backbone for feature extraction, fastest first on a CPU. */
export type EngineName = 'onnx' | 'tfjs-node' | 'wasm' | 'cpu'

export interface EngineStatus {
  name: EngineName
  available: boolean
  /** why it is or is not available, in words a user can act on */
  reason: string
}

export interface TrainBackends {
  backend: BackendInfo
  /** the engine extraction uses unless the user picks another, and every candidate */
  engine: EngineName
  engines: EngineStatus[]
  backbones: BackboneChoice[]
  defaultBackbone: string
  presets: PresetChoice[]
  defaultPreset: string
  defaults: TrainConfig
}

/** One epoch of the head's training. Validation figures are null when there are no validation rows. */
export interface EpochStats {
  epoch: number
  loss: number
  valLoss: number | null
  valExactMatch: number | null
  seconds: number
}

export interface LabelMetrics {
  precision: number
  recall: number
  f1: number
  ap: number
  support: number
  tp: number
  fp: number
  fn: number
}

/** Validation metrics of a run. `exactMatchGrouped` decodes each label group by its highest probability. */
export interface RunMetrics {
  n: number
  exactMatch: number
  exactMatchGrouped?: number
  hammingAccuracy: number
  macroF1: number
  microF1: number
  mAP: number
  perLabel: Record<string, LabelMetrics>
}

export interface RunSummary {
  id: number
  createdAt: string
  /** the backbone id (the primary part, for a preset's composite features) */
  backbone: string
  /** the preset the run was trained with, null for a plain backbone */
  preset: string | null
  config: TrainConfig
  /** the headline metrics (no per-label table) */
  metrics: Omit<RunMetrics, 'perLabel'>
  /** who trained it; null for runs stored before runs had authors */
  author?: string | null
}

export interface RunDetail {
  id: number
  createdAt: string
  backbone: {
    id: string
    name: string
    featureLayers: string[]
    /** the preset the run was trained with, null for a plain backbone */
    preset: string | null
    /** display names of the parts its features join, in order */
    parts: string[]
  }
  backend: string
  config: TrainConfig
  labels: string[]
  groups: string[][] | null
  /** the groups' names when the run was trained, by position ('' for none); display only */
  groupNames?: string[] | null
  thresholds: number[] | null
  history: EpochStats[]
  /** the epoch whose weights the run kept (early stopping); null when it kept the last */
  bestEpoch: number | null
  metrics: RunMetrics
  timings: { extractSeconds: number; trainSeconds: number }
  /** who trained it; null for runs stored before runs had authors */
  author?: string | null
}

/** The training in progress, for a window that opens (or reloads) while it runs. */
export interface TrainStatus {
  jobId: string
  project: string
  startedAt: string
  settings: TrainSettings
  /** epochs asked for */
  epochs: number
  history: EpochStats[]
  progress: JobProgress | null
}

export type TrainEpoch = EpochStats & { jobId: string }

export interface TrainDone {
  jobId: string
  runId: number
  project: string
  metrics: RunMetrics
  /** the epoch whose weights the run kept (early stopping); null when it kept the last */
  bestEpoch: number | null
  extractSeconds: number
  trainSeconds: number
  backend: string
  device: string
  /** the engine that extracted features (the one chosen, when every feature was cached) */
  engine: EngineName
  /** the backbone's feature cache key: id and layer cut */
  backbone: string
  rows: { train: number; val: number; valSource: 'val' | 'holdout' }
  extraction: { total: number; cached: number; computed: number; skipped: number }
}
