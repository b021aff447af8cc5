// Every request with its input and output, and every event stream with its payload.
import type { ListedEventName, ListedRequestName } from '../../src-shared/names.ts'
import type { AddImagesAnswer, AddImagesInput, RescanAnswer } from './add.ts'
import type { ChangeSummary, EditResult, GroupSuggestions, ImageRow, ImportReport, LabelChange, ProjectInfo, RecentProject, Split } from './dataset.ts'
import type { FolderImportOptions, FolderImportReport, FolderPreview } from './folder.ts'
import type { DatasetHealth } from './health.ts'
import type { LabelSetEdit } from './label-set.ts'
import type { JobEnded, JobProgress } from './jobs.ts'
import type { ModelExport, Predictions, ThresholdTarget } from './predictions.ts'
import type { ReviewAction, ReviewResult, SuspectQueue, UncertainQueue } from './quality.ts'
import type { SimilarImages } from './similar.ts'
import type { TryAnswer, TryFile } from './try.ts'
import type { RunDetail, RunSummary, TrainBackends, TrainDone, TrainEpoch, TrainSettings, TrainStatus } from './training.ts'

export interface AppInfo {
  version: string
  mode: 'electron' | 'web'
  /** Set when this is a team server: the page shows the database and whose connection it is. */
  team?: TeamInfo
}

/** The team server a connection is on, as `app:info` answers it to that connection. */
export interface TeamInfo {
  /** The database's address, password masked. */
  store: string
  /** The team member this connection acts for, or the OS account of whoever started the server. */
  user: string
  /** Whether the connection holds the launch token (whoever started the server). */
  launcher: boolean
  /** The requests this server refuses this connection, so the page does not offer them. */
  refused: RequestName[]
}

/** Every request: name -> input and output. Inputs are validated by a schema in main. */
export interface Requests {
  'app:info': { in: Record<string, never>; out: AppInfo }
  'project:open': { in: { file: string }; out: ProjectInfo }
  'project:import': {
    in: { csvs: string[]; imagesDir?: string; projectFile?: string }
    out: { info: ProjectInfo; report: ImportReport }
  }
  /** What importing a folder of images would create (labels and counts, skipped files); reads no image. */
  'project:folderPreview': { in: FolderImportOptions; out: FolderPreview }
  /** A new project from a folder of images, as a job with job:progress; it opens like an import. */
  'project:importFolder': {
    in: FolderImportOptions & { projectFile?: string }
    out: { info: ProjectInfo; report: FolderImportReport }
  }
  'project:current': { in: Record<string, never>; out: ProjectInfo | null }
  'project:recent': { in: Record<string, never>; out: RecentProject[] }
  'project:close': { in: Record<string, never>; out: null }
  'images:list': { in: Record<string, never>; out: ImageRow[] }
  /**
   * The colours shown while thumbnails load, for the images that have them: records of 26 hex digits, a
   * row's `hash8` then its top, middle and bottom colours (rrggbb each). One string, not a field of each
   * row, so the rows stay as small as they were.
   */
  'images:tints': { in: Record<string, never>; out: string }
  'labels:set': { in: { changes: LabelChange[] }; out: EditResult }
  'labels:undo': { in: Record<string, never>; out: EditResult | null }
  'labels:redo': { in: Record<string, never>; out: EditResult | null }
  /** Whether undo and redo have a step to take (the edit log outlives the session). */
  'labels:history': { in: Record<string, never>; out: { canUndo: boolean; canRedo: boolean } }
  /** Adds, renames, removes or moves a label: one undoable step; the answer's `structure` names it. */
  'labels:edit': { in: LabelSetEdit; out: EditResult }
  /** `names` by position ('' for none); without it, a group keeps the name it had with the same labels. */
  'groups:set': { in: { groups: string[][]; names?: string[] }; out: ProjectInfo }
  /** The label groups the rows suggest: none overlaps a declared group. */
  'groups:suggest': { in: Record<string, never>; out: GroupSuggestions }
  'split:set': { in: { imageIds: number[]; split: Split }; out: ImageRow[] }
  'dataset:changes': { in: Record<string, never>; out: ChangeSummary }
  'dataset:export': { in: { outDir?: string }; out: { files: string[]; summary: ChangeSummary } }
  'job:cancel': { in: { jobId: string }; out: null }
  /** Native file dialogs (Electron only). Web mode answers UNAVAILABLE: the UI offers a path field instead. */
  'dialog:openCsv': { in: Record<string, never>; out: string[] }
  'dialog:openProject': { in: Record<string, never>; out: string | null }
  'dialog:chooseFolder': { in: { title?: string }; out: string | null }
  /** Shows an image's file in the system's file manager (Electron only; web mode answers UNAVAILABLE). */
  'image:reveal': { in: { id: number }; out: null }
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
  /**
   * Labels images from outside the project with a run (default: the latest), at its current thresholds with
   * the declared groups decided by their most probable label (unless `decodeGroups` is false). Nothing is
   * stored. Each file is at most 40 MB and 100 megapixels; a file that is not an image answers its own error.
   * No file: the run's model is only loaded, so the next image is labelled at once (the panel asks on opening).
   */
  'model:try': { in: { runId?: number; files: TryFile[]; decodeGroups?: boolean }; out: TryAnswer }
  /** The label-error queue of a run (default: the latest), top `limit` images (default 500). */
  'quality:suspects': { in: { runId?: number; limit?: number }; out: SuspectQueue }
  /** Acts on one suspect pair of a run's queue. */
  'quality:review': { in: { runId: number; imageId: number; label: string; action: ReviewAction }; out: ReviewResult }
  /** The uncertainty queue of a run (default: the latest), top `limit` images (default 500). */
  'quality:uncertain': { in: { runId?: number; limit?: number }; out: UncertainQueue }
  /** Marks an image of the uncertainty queue as looked at, with its labels as they now are. */
  'quality:confirm': { in: { runId: number; imageId: number }; out: { confirmed: number } }
  /** Counts, rare labels, co-occurrence, group violations, flagged images and near-duplicates. */
  'health:get': { in: { similarity?: number; runId?: number }; out: DatasetHealth }
  /**
   * The `top` images (default 200) most like one image by cosine similarity of the cached features of a run
   * (default: the latest), the query first; NOT_FOUND names an image without features.
   */
  'images:similar': { in: { imageId: number; runId?: number; top?: number }; out: SimilarImages }
  /**
   * Adds image files (paths inside the images folder, or uploaded bytes) to the open project as new rows of one
   * CSV, in one undoable step; a job with job:progress. Bad files are listed, never fatal.
   */
  'images:add': { in: AddImagesInput; out: AddImagesAnswer }
  /** Checks every row's file again (missing, found again) and lists image files in the folder that no row names. */
  'images:rescan': { in: Record<string, never>; out: RescanAnswer }
}

/** Every event stream: name -> payload. */
export interface Events {
  'job:progress': JobProgress
  'job:ended': JobEnded
  /** Rows changed by someone else (another window, the CLI through the same service). */
  /** `structure`: the step changed the rows or labels beyond `rows` (its kind): reload them. */
  'labels:changed': { rows: ImageRow[]; structure?: string }
  /** A menu item or app-level shortcut the UI should carry out (Electron's application menu). */
  'app:command': { command: AppCommand }
  /** One epoch of a training job, in order, as it finishes. */
  'train:epoch': TrainEpoch
  /** A training job stored its run; sent before its job:ended. */
  'train:done': TrainDone
}

export type AppCommand = 'open-project' | 'import-csv' | 'export-csv' | 'add-images' | 'rescan' | 'undo' | 'redo'

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
