// The engines every contract case runs against: each opens a store holding what a given project file
// holds (the SQLite engine opens the file itself).
import type { ProjectStore } from '../../src-main/core/store/project-store.ts'
import { openSqliteStore } from '../../src-main/core/store/sqlite-store.ts'

export interface Engine {
  name: string
  open: (projectFile: string) => Promise<ProjectStore>
}

export const engines: Engine[] = [{ name: 'sqlite', open: (file) => openSqliteStore(file) }]
