// Where `tagsmith import` (CSVs or a folder) writes: --project FILE, or --store — a project file, or a team
// store's URL, in which case the import goes into a temp project file first and is copied into the
// database in one transaction, so a failed import leaves the database as it was.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TagsmithError } from '../core/errors.ts'
import { isPostgresUrl, redactUrl } from '../core/store/store-url.ts'
import { givenStore } from './store-option.ts'

export interface ImportTarget {
  /** The file the import writes (a temp one for a team store; unset: the command's default). */
  projectFile: string | undefined
  /** The --store (or TAGSMITH_STORE) text when it names a project file. */
  storeFile: string | undefined
  /** The team store's URL, when the import goes to one. */
  teamUrl: string | undefined
  /** Removes the temp folder of a team store's import. */
  dispose(): void
}

export function importTarget(values: { project?: string; store?: string }): ImportTarget {
  if (values.store !== undefined && values.project !== undefined) {
    throw new TagsmithError('BAD_INPUT', `give --project ${JSON.stringify(values.project)} or --store ${JSON.stringify(values.store)}, not both`)
  }
  const store = values.project === undefined ? givenStore(values.store) : undefined
  if (store === undefined || !isPostgresUrl(store)) {
    return { projectFile: values.project ?? store, storeFile: store, teamUrl: undefined, dispose: () => undefined }
  }
  const staging = mkdtempSync(join(tmpdir(), 'tagsmith-import-'))
  return {
    projectFile: join(staging, 'dataset.tagsmith'),
    storeFile: undefined,
    teamUrl: store,
    dispose: () => rmSync(staging, { recursive: true, force: true }),
  }
}

/** Copies the imported project file into the team store at `url`; answers the URL as it may be shown. */
export async function copyIntoTeamStore(file: string, url: string, replace: boolean): Promise<string> {
  // Loaded late so `pg` loads only for a URL.
  const { copyFileToPostgres } = await import('../core/store/copy-project.ts')
  await copyFileToPostgres(file, url, { replace })
  return redactUrl(url)
}

/** An import refused because its target exists (CONFLICT) says how to go on: --replace. */
export function withReplaceHint(err: unknown): unknown {
  return err instanceof TagsmithError && err.code === 'CONFLICT' ? new TagsmithError('CONFLICT', `${err.message} (use --replace)`) : err
}
