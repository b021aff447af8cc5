// One location names a store: a PostgreSQL URL opens the team engine, anything else is a project file.
// The PostgreSQL engine is imported only when asked, so the app and file commands never load its client.
import { TagsmithError } from '../errors.ts'
import type { ProjectStore, SharedStore } from './project-store.ts'
import { isPostgresUrl } from './store-url.ts'
import { openSqliteStore } from './sqlite-store.ts'

export { isPostgresUrl } from './store-url.ts'

export async function openStore(location: string): Promise<ProjectStore> {
  if (isPostgresUrl(location)) {
    // eslint-disable-next-line no-restricted-syntax -- same folder, no wall crossed; loaded late so `pg` loads only for a URL
    const { openPostgresStore } = await import('./postgres-store.ts')
    return openPostgresStore(location)
  }
  return openSqliteStore(location)
}

/** A team store several servers share (PostgreSQL); a project file is refused naming it. */
export async function openSharedStore(location: string): Promise<SharedStore> {
  if (!isPostgresUrl(location)) throw new TagsmithError('BAD_INPUT', `${location} is a project file, not a team store's postgresql:// URL`)
  // eslint-disable-next-line no-restricted-syntax -- same folder, no wall crossed; loaded late so `pg` loads only for a URL
  const { openPostgresStore } = await import('./postgres-store.ts')
  return openPostgresStore(location)
}
