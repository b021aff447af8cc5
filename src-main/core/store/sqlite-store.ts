// The project store over one SQLite project file: the synchronous Project the app has always used, each
// call answered at once behind a promise so it fits the interface a networked engine needs.
import { editLabelSet, type LabelSetEdit } from '../dataset/label-set.ts'
import { Project, type ExportOptions } from '../dataset/project.ts'
import type { EditGroup, LabelChange, Split } from '../dataset/types.ts'
import type { HistoryEntry, NewUser, ProjectStore, StoreUser, UndoState } from './project-store.ts'
import * as users from './users.ts'

export class SqliteStore implements ProjectStore {
  readonly engine = 'sqlite'
  readonly location: string

  constructor(readonly project: Project) {
    this.location = project.file
  }

  async labels(): Promise<string[]> {
    return this.project.labels()
  }

  async images() {
    return this.project.images()
  }

  async imagesByIds(ids: readonly number[]) {
    return this.project.imagesByIds(ids)
  }

  async findImage(path: string) {
    return this.project.findImage(path)
  }

  async stats() {
    return this.project.stats()
  }

  async setLabels(changes: LabelChange[], author: string): Promise<EditGroup> {
    return this.project.edits.setLabels(changes, author)
  }

  /** Splits are not steps of the edit log, so the author is not recorded. */
  async setSplit(imageIds: number[], split: Split, _author: string): Promise<void> {
    this.project.setSplit(imageIds, split)
  }

  async undo(author: string): Promise<EditGroup | null> {
    return this.project.edits.undo(author)
  }

  async redo(author: string): Promise<EditGroup | null> {
    return this.project.edits.redo(author)
  }

  async undoState(author: string): Promise<UndoState> {
    return this.project.edits.undoState(author)
  }

  async editLabelSet(edit: LabelSetEdit, author: string): Promise<EditGroup> {
    return editLabelSet(this.project, edit, author)
  }

  async history(options: { user?: string; limit?: number } = {}): Promise<HistoryEntry[]> {
    return this.project.edits.entries(options)
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return this.project.getSetting<T>(key)
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    this.project.setSetting(key, value)
  }

  async exportCsvs(outDir?: string, options?: ExportOptions): Promise<string[]> {
    return this.project.exportCsvs(outDir, options)
  }

  async addUser(name: string): Promise<NewUser> {
    return users.addUser(this.project.db, name)
  }

  async listUsers(): Promise<StoreUser[]> {
    return users.listUsers(this.project.db)
  }

  async removeUser(name: string): Promise<void> {
    users.removeUser(this.project.db, name)
  }

  async userOfToken(token: string): Promise<string | null> {
    return users.userOfToken(this.project.db, token)
  }

  async close(): Promise<void> {
    this.project.close()
  }
}

/** Opens a project file as a store (NOT_FOUND naming a missing file, TOO_NEW for a newer version's). */
export function openSqliteStore(file: string): Promise<SqliteStore> {
  return Promise.resolve().then(() => new SqliteStore(Project.open(file)))
}
