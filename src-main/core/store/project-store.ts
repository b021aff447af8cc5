// The project store: everything a labeling session does with a project's data, behind one interface with
// one implementation per engine — a SQLite file for one person (sqlite-store.ts), a PostgreSQL database
// for a team (postgres-store.ts). Both pass one contract suite (tests/contract/). Every method is async so
// a networked engine fits; the SQLite one answers from the same synchronous code the app has always used.
import type { LabelSetEdit } from '../dataset/label-set.ts'
import type { ExportOptions, Project } from '../dataset/project.ts'
import type { Database } from '../db/open.ts'
import type { DatasetStats, EditGroup, ImageRecord, LabelChange, Split } from '../dataset/types.ts'
import type { ChangeWatch, WatchHandlers } from './pg-changes.ts'

export type StoreEngine = 'sqlite' | 'postgresql'

/** One step of the edit log as the history shows it: who did it, when, and whether it is undone. */
export interface HistoryEntry extends EditGroup {
  /** The user who made the step; null for steps recorded before the store knew users. */
  author: string | null
  /** 'cells' for label edits, else the structural kind (e.g. 'label-add', 'images-add'). */
  kind: string
  undone: boolean
}

export interface StoreUser {
  name: string
  createdAt: string
}

/** A team member's access: the token is shown once, when the user is added; the store keeps only its hash. */
export interface NewUser extends StoreUser {
  token: string
}

export interface UndoState {
  canUndo: boolean
  canRedo: boolean
}

export interface ProjectStore {
  readonly engine: StoreEngine
  /** The project file's path, or the database URL without its password. */
  readonly location: string

  labels(): Promise<string[]>
  images(): Promise<ImageRecord[]>
  imagesByIds(ids: readonly number[]): Promise<ImageRecord[]>
  /** An image by its path as written in the CSV, or with `/` separators and no `./`. */
  findImage(path: string): Promise<ImageRecord | undefined>
  stats(): Promise<DatasetStats>

  /** One committed, logged group by `author` (BAD_INPUT for an unknown label, image or value; nothing written). */
  setLabels(changes: LabelChange[], author: string): Promise<EditGroup>
  setSplit(imageIds: number[], split: Split, author: string): Promise<void>
  /**
   * Undo is per user: it reverts `author`'s latest applied step (steps recorded before users count as
   * anyone's). When another user changed one of its cells since, it refuses (CONFLICT) naming who and when.
   */
  undo(author: string): Promise<EditGroup | null>
  /** Re-applies the step `author` undid last; refuses like undo when someone changed its cells since. */
  redo(author: string): Promise<EditGroup | null>
  undoState(author: string): Promise<UndoState>
  /**
   * One label-set edit (add, rename, remove, move) as one undoable step by `author`, by the file engine's
   * code (dataset/label-set.ts); BAD_INPUT naming the value, nothing written.
   */
  editLabelSet(edit: LabelSetEdit, author: string): Promise<EditGroup>
  /** Applied and undone steps, newest first; `user` keeps one author's. */
  history(options?: { user?: string; limit?: number }): Promise<HistoryEntry[]>

  getSetting<T>(key: string): Promise<T | undefined>
  setSetting(key: string, value: unknown): Promise<void>

  /** Writes the CSVs (each as read, with the edits) to `outDir`, or over the originals; returns their paths. */
  exportCsvs(outDir?: string, options?: ExportOptions): Promise<string[]>

  addUser(name: string): Promise<NewUser>
  listUsers(): Promise<StoreUser[]>
  /** Removes a user: their token stops working at once; their steps keep their name. */
  removeUser(name: string): Promise<void>
  /** The user a token belongs to, or null (unknown, malformed or removed). */
  userOfToken(token: string): Promise<string | null>

  close(): Promise<void>
}

/** A store several server processes share: each hears what the others commit (a team store on PostgreSQL). */
export interface SharedStore extends ProjectStore {
  /** This process's handle on the store: the origin its own change notices carry. */
  readonly instance: string
  /** Calls `handlers` for every change committed by anyone, until closed. */
  watch(handlers: WatchHandlers): Promise<ChangeWatch>
  /** The images one step of the edit log touches. */
  imagesOfGroup(group: number): Promise<number[]>
  /** Every user by their token's hash, so a server checks a token without a round trip. */
  usersByTokenHash(): Promise<Map<string, string>>
  /**
   * Runs `work` (a structural step: images added, a rescan) with the file engine's code on a copy of the
   * project, while every other writer waits, and stores what it changed, all or nothing; a change notice
   * names the step's kind (else `kind`). Returns what `work` returns.
   */
  structuralStep<T>(work: (project: Project) => T | Promise<T>, kind: string): Promise<T>
  /** Writes the whole project, as one consistent read, to a project file (replacing it). */
  copyToFile(file: string): Promise<{ rows: number; seconds: number }>
  /**
   * Stores runs of the project file open as `source` (a server's working copy) in one transaction, each under
   * a fresh id, with their predictions, reviews and confirmations and the features the store lacks; a run
   * gone from the file is skipped. Returns the ids as the file has them → as the store gave them.
   */
  pushRuns(source: Database, ids: readonly number[]): Promise<Map<number, number>>
  /** Stores a label review (a label_reviews row by column), replacing the pair's earlier one. */
  putReview(row: Readonly<Record<string, unknown>>): Promise<void>
  /** Stores an uncertainty confirmation (an uncertain_confirmations row by column), replacing an earlier one. */
  putConfirmation(row: Readonly<Record<string, unknown>>): Promise<void>
}
