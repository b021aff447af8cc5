// The engines every contract case runs against: each opens a store holding what a given project file
// holds (the SQLite engine opens the file itself).
import { copyFileToPostgres } from '../../src-main/core/store/copy-project.ts'
import { openPostgresStore } from '../../src-main/core/store/postgres-store.ts'
import type { ProjectStore } from '../../src-main/core/store/project-store.ts'
import { openSqliteStore } from '../../src-main/core/store/sqlite-store.ts'
import { freshDatabase, pgEnabled } from '../support/postgres-cluster.ts'

export interface Engine {
  name: string
  open: (projectFile: string) => Promise<ProjectStore>
}

// One database per test file (module state is per file), refilled for each store: quicker than a database each.
let database: Promise<string> | undefined

/** The project file copied into this test file's database, replacing what the last case left there. */
async function openPostgres(file: string): Promise<ProjectStore> {
  database ??= freshDatabase()
  const url = await database
  await copyFileToPostgres(file, url, { replace: true })
  return openPostgresStore(url)
}

export const engines: Engine[] = [
  { name: 'sqlite', open: (file) => openSqliteStore(file) },
  // TAGSMITH_TEST_PG=off runs the suite without a PostgreSQL cluster.
  ...(pgEnabled() ? [{ name: 'postgresql', open: openPostgres }] : []),
]
