// The protocol between the UI and the service: requests with one answer, event streams, and cancel.
// TYPES ONLY: nothing here runs, so the preload, the web bridge and the renderer can all import it.
import type { ListedEventName, ListedRequestName } from '../src-shared/names.ts'

export type Split = 'train' | 'val' | 'test'
export type ImageStatus = 'ok' | 'missing' | 'corrupt' | 'outside'
export type LabelValue = 0 | 1 | null

/** One grid row. `labels` holds one value per label, in the project's label order. */
export interface ImageRow {
  id: number
  path: string
  source: string
  split: Split
  status: ImageStatus
  labels: LabelValue[]
  edited: boolean
  /** The first 8 hex digits of the image file's content hash as imported (null if unreadable): thumbnail
   *  URLs carry it, so a browser may keep them cached for good. */
  hash8: string | null
}

export interface ProjectInfo {
  file: string
  imagesDir: string
  labels: string[]
  /** Groups of labels in which exactly one label holds (e.g. colours, garments). */
  groups: string[][]
  sources: string[]
  imageCount: number
}

export interface FlaggedRow {
  source: string
  line: number
  path: string
  status: ImageStatus
  reason: string
}

export interface ImportReport {
  project: string
  rows: number
  labels: string[]
  splits: Record<Split, number>
  missing: number
  corrupt: number
  outside: number
  flagged: FlaggedRow[]
}

export interface LabelChange {
  imageId: number
  label: string
  value: 0 | 1
}

export interface EditResult {
  group: number
  changes: Array<{ imageId: number; label: string; old: LabelValue; new: LabelValue }>
  /** The rows as they are after the edit was committed. */
  rows: ImageRow[]
  /** Whether undo and redo have a step to take after this edit. */
  canUndo: boolean
  canRedo: boolean
}

export interface ChangeSummary {
  cells: number
  images: number
  byLabel: Record<string, { set: number; cleared: number }>
}

export interface RecentProject {
  file: string
  openedAt: string
}

export interface JobProgress {
  jobId: string
  kind: string
  phase: string
  done: number
  total: number
  rate: number
  etaSeconds: number | null
}

export interface JobEnded {
  jobId: string
  kind: string
  status: 'done' | 'cancelled' | 'failed'
  error?: WireError
}

export interface WireError {
  code: string
  message: string
}

export interface AppInfo {
  version: string
  mode: 'electron' | 'web'
}

/** What a user may set for a training run; anything left out takes the engine's default. */
export interface TrainSettings {
  /** a backbone catalog id, or a folder holding a TF.js model.json */
  backbone?: string
  epochs?: number
  /** Adam learning rate */
  lr?: number
  /** rows per step; left out: chosen from the number of training rows */
  batchSize?: number
  seed?: number
  /** weight of the L2 penalty on the head's kernel */
  l2?: number
  /** weight positives by label rarity (pos_weight = negatives / positives) */
  classWeighting?: boolean
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
  backbone: string
  config: TrainConfig
  /** the headline metrics (no per-label table) */
  metrics: Omit<RunMetrics, 'perLabel'>
}

export interface RunDetail {
  id: number
  createdAt: string
  backbone: { id: string; name: string; featureLayers: string[] }
  backend: string
  config: TrainConfig
  labels: string[]
  groups: string[][] | null
  thresholds: number[] | null
  history: EpochStats[]
  metrics: RunMetrics
  timings: { extractSeconds: number; trainSeconds: number }
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

/**
 * How a row's probability was obtained. 'oof': a training row, scored by a head trained (k-fold) on the
 * other folds only; 'val': a row the run validated on (the val split, or the holdout of train when there
 * is none); 'test': a test-split row; 'unlabelled': a row with every label empty, which taught the head
 * nothing. All but 'oof' are scored by the run's final head.
 */
export type PredictionSource = 'oof' | 'val' | 'test' | 'unlabelled'

/** A run's probabilities for every image that has features, with the decisions' settings. */
export interface Predictions {
  runId: number
  /** the run's label order (the columns of `probs`) */
  labels: string[]
  imageIds: number[]
  /** row-major: imageIds.length x labels.length */
  probs: number[]
  /** one per row of `probs` */
  source: PredictionSource[]
  /** the run's current per-label thresholds */
  thresholds: number[]
  /** the thresholds last tuned on validation rows, or null if never tuned */
  tuned: number[] | null
  /** groups decoded by their most probable label (the project's declared groups) */
  groups: string[][]
}

/** 'f1': per label, the threshold that maximises F1 on the validation rows; 'precision': the lowest
 *  threshold whose precision reaches `precision` (most recall), or the best precision reachable. */
export type ThresholdTarget = { runId: number; target: 'f1' } | { runId: number; target: 'precision'; precision: number }

export interface ModelExport {
  /** the folder written */
  out: string
  /** file names inside `out` */
  files: string[]
  /** largest difference between the reloaded model's probabilities and the app's on sample images */
  maxAbsDiff: number
  /** the same classifier as one ONNX file in `out`, checked the same way; null when not written */
  onnx: { file: string; maxAbsDiff: number } | null
}

/**
 * One (image, label) pair whose stored value the model disagrees with. `score` is the disagreement
 * normalised per label, so pairs of different labels compare: higher is more likely mislabeled.
 */
export interface Suspect {
  imageId: number
  /** the image path as written in the CSV */
  image: string
  label: string
  stored: 0 | 1
  /** the run's out-of-sample probability of the label */
  probability: number
  score: number
}

/** The label-error review queue of a run: images ranked by their worst pair, reviewed ones left out. */
export interface SuspectQueue {
  runId: number
  /** one entry per image, its worst unreviewed pair, most suspect first */
  suspects: Suspect[]
  /** every other unreviewed suspect pair of the same images, by imageId */
  others: Record<number, Suspect[]>
  /** images with a suspect pair when the queue was computed, reviewed ones included */
  total: number
  /** pairs reviewed (accepted or kept) against this run's suspects */
  reviewed: number
  /** pairs whose label was changed to the model's view */
  fixed: number
}

/** 'accept': store the model's view (an undoable edit); 'keep': the stored label is right, do not ask again. */
export type ReviewAction = 'accept' | 'keep'

export interface ReviewResult {
  /** the edit made by 'accept' (null for 'keep') */
  edit: EditResult | null
  reviewed: number
  fixed: number
}

/** An image for the uncertainty queue: unlabelled cells first, then the closest call to a threshold. */
export interface UncertainItem {
  imageId: number
  image: string
  /** labels with an empty cell */
  unlabelled: string[]
  /** the label whose probability sits closest to its threshold (null: no probabilities for the image) */
  label: string | null
  probability: number | null
  threshold: number | null
  /** |logit(p) - logit(threshold)|, 0 for images with empty cells: smaller is less certain */
  margin: number
}

export interface UncertainQueue {
  runId: number
  items: UncertainItem[]
  /** images in the queue before the limit, confirmed ones left out */
  total: number
  /** images confirmed in this queue since the run was trained */
  confirmed: number
}

/** A pair of images whose cached features are nearly the same (cosine similarity). */
export interface NearDuplicate {
  a: number
  b: number
  similarity: number
  /** the two sit in different splits: one of them inflates validation or test figures */
  crossSplit: boolean
}

export interface DatasetHealth {
  labels: string[]
  /** positives per label (in label order), image count and images with an empty cell, per split */
  perSplit: Record<Split, { images: number; positives: number[]; emptyCells: number }>
  /** labels with few positives in train, with the pos_weight class weighting would use */
  rare: Array<{ label: string; positives: number; share: number; posWeight: number; reason: string }>
  /** images positive for both labels, label order × label order */
  cooccurrence: number[][]
  /** per declared group, the images where not exactly one of its labels holds */
  groupViolations: Array<{ group: string[]; imageIds: number[] }>
  /** images flagged at import, by status */
  flagged: { missing: number[]; corrupt: number[]; outside: number[] }
  nearDuplicates: {
    threshold: number
    /** the feature cache the similarities come from (a run's backbone), null when none exists yet */
    backbone: string | null
    /** images without cached features, left out of the search */
    withoutFeatures: number
    pairs: NearDuplicate[]
  }
}

/** Every request: name -> input and output. Inputs are validated by a schema in main. */
export interface Requests {
  'app:info': { in: Record<string, never>; out: AppInfo }
  'project:open': { in: { file: string }; out: ProjectInfo }
  'project:import': {
    in: { csvs: string[]; imagesDir?: string; projectFile?: string }
    out: { info: ProjectInfo; report: ImportReport }
  }
  'project:current': { in: Record<string, never>; out: ProjectInfo | null }
  'project:recent': { in: Record<string, never>; out: RecentProject[] }
  'project:close': { in: Record<string, never>; out: null }
  'images:list': { in: Record<string, never>; out: ImageRow[] }
  'labels:set': { in: { changes: LabelChange[] }; out: EditResult }
  'labels:undo': { in: Record<string, never>; out: EditResult | null }
  'labels:redo': { in: Record<string, never>; out: EditResult | null }
  /** Whether undo and redo have a step to take (the edit log outlives the session). */
  'labels:history': { in: Record<string, never>; out: { canUndo: boolean; canRedo: boolean } }
  'groups:set': { in: { groups: string[][] }; out: ProjectInfo }
  'split:set': { in: { imageIds: number[]; split: Split }; out: ImageRow[] }
  'dataset:changes': { in: Record<string, never>; out: ChangeSummary }
  'dataset:export': { in: { outDir?: string }; out: { files: string[]; summary: ChangeSummary } }
  'job:cancel': { in: { jobId: string }; out: null }
  /** Native file dialogs (Electron only). Web mode answers UNAVAILABLE: the UI offers a path field instead. */
  'dialog:openCsv': { in: Record<string, never>; out: string[] }
  'dialog:openProject': { in: Record<string, never>; out: string | null }
  'dialog:chooseFolder': { in: { title?: string }; out: string | null }
  /** The backend and device training will use, the backbone catalog and the default settings. */
  'train:backends': { in: Record<string, never>; out: TrainBackends }
  /** Starts training the open project as a job; progress, train:epoch and train:done events follow. */
  'train:start': { in: TrainSettings; out: { jobId: string } }
  'train:current': { in: Record<string, never>; out: TrainStatus | null }
  'train:runs': { in: Record<string, never>; out: RunSummary[] }
  'train:run': { in: { id: number }; out: RunDetail }
  /** Deletes a stored run; answers the runs that remain. */
  'train:delete': { in: { id: number }; out: RunSummary[] }
  /** A run's stored probabilities (default: the latest run); computed first if the run has none. */
  'predict:get': { in: { runId?: number }; out: Predictions }
  /** Sets a run's per-label thresholds (one per label, in the run's label order). */
  'thresholds:set': { in: { runId: number; thresholds: number[] }; out: { thresholds: number[] } }
  /** Tunes a run's thresholds on its validation rows and makes them current. */
  'thresholds:tune': { in: ThresholdTarget; out: { thresholds: number[] } }
  /** Writes a run (default: the latest) as a self-checked TF.js model folder; a job with job:progress. */
  'model:export': { in: { runId?: number; outDir: string }; out: ModelExport }
  /** The label-error queue of a run (default: the latest), top `limit` images (default 500). */
  'quality:suspects': { in: { runId?: number; limit?: number }; out: SuspectQueue }
  /** Acts on one suspect pair of a run's queue. */
  'quality:review': { in: { runId: number; imageId: number; label: string; action: ReviewAction }; out: ReviewResult }
  /** The uncertainty queue of a run (default: the latest), top `limit` images (default 500). */
  'quality:uncertain': { in: { runId?: number; limit?: number }; out: UncertainQueue }
  /** Marks an image of the uncertainty queue as looked at, with its labels as they now are. */
  'quality:confirm': { in: { runId: number; imageId: number }; out: { confirmed: number } }
  /** Counts, rare labels, co-occurrence, group violations, flagged images and near-duplicates. */
  'health:get': { in: { similarity?: number }; out: DatasetHealth }
}

/** Every event stream: name -> payload. */
export interface Events {
  'job:progress': JobProgress
  'job:ended': JobEnded
  /** Rows changed by someone else (another window, the CLI through the same service). */
  'labels:changed': { rows: ImageRow[] }
  /** A menu item or app-level shortcut the UI should carry out (Electron's application menu). */
  'app:command': { command: AppCommand }
  /** One epoch of a training job, in order, as it finishes. */
  'train:epoch': TrainEpoch
  /** A training job stored its run; sent before its job:ended. */
  'train:done': TrainDone
}

export type AppCommand = 'open-project' | 'import-csv' | 'export-csv' | 'undo' | 'redo'

export type RequestName = keyof Requests
export type EventName = keyof Events

// The allow-lists the preload and main check names against (src-shared/names.ts) must hold exactly these
// names: a name missing on either side fails the type check here, naming it.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : Exclude<All, Listed>
type Holds<T extends true> = T
export type NamesListed = [
  Holds<Missing<RequestName, ListedRequestName>>,
  Holds<Missing<ListedRequestName, RequestName>>,
  Holds<Missing<EventName, ListedEventName>>,
  Holds<Missing<ListedEventName, EventName>>,
]

/** What `window.tagsmith` (Electron) and the WebSocket bridge (web mode) both provide. */
export interface TagsmithApi {
  /** Resolves with the answer; rejects with an error carrying `code` and `message` (a WireError). */
  invoke<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']>
  on<E extends EventName>(name: E, listener: (payload: Events[E]) => void): () => void
  /** URL of an image's cached thumbnail, or of the full image, that an <img> may load. A thumbnail asked
   *  for with its row's `hash8` may be cached for good; otherwise the browser revalidates each time. */
  imageUrl(imageId: number, kind: 'thumb' | 'full', hash8?: string | null): string
  /** Absolute path of a file dropped on the window (Electron); null where the platform hides it (web). */
  pathForFile(file: File): string | null
}

/** The answer to one request as it travels over IPC or the WebSocket. */
export type Reply<T = unknown> = { ok: true; result: T } | { ok: false; error: WireError }

/** Web mode, client -> server. `id` pairs an invoke with its reply. */
export type ClientMessage =
  | { type: 'invoke'; id: number; name: RequestName; input: unknown }
  | { type: 'subscribe'; name: EventName }
  | { type: 'unsubscribe'; name: EventName }

/** Web mode, server -> client. A message the server could not read is answered with `id: null`. */
export type ServerMessage =
  | ({ id: number | null } & Reply)
  | { type: 'event'; name: EventName; payload: unknown }
