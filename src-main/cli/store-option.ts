// Which store a command works on and who it writes as. A store is a project file or a team store's
// PostgreSQL URL, given as the command's first argument (as always), with --store, or in TAGSMITH_STORE;
// the author of a command's steps is --user, else the OS account.
import { Project } from '../core/dataset/project.ts'
import { osAccountName } from '../core/dataset/edit-authors.ts'
import { TagsmithError } from '../core/errors.ts'
import { isPostgresUrl, openSharedStore } from '../core/store/open-store.ts'
import { redactUrl } from '../core/store/store-url.ts'
import { checkUserName } from '../core/store/users.ts'

export const STORE_OPTIONS = {
  store: { type: 'string' },
} as const

export const USER_OPTIONS = {
  user: { type: 'string' },
} as const

export const STORE_HELP = `  --store URL|FILE   the project: a project file or a team store's postgresql:// URL, instead of
                     the first argument (default: the TAGSMITH_STORE environment variable)`

export const USER_HELP = `  --user NAME        the author recorded for the step (default: this computer's account name)`

/** The store named by --store or TAGSMITH_STORE, when the command's arguments name none. */
export function givenStore(option: string | undefined): string | undefined {
  if (option !== undefined) {
    if (option.trim() === '') throw new TagsmithError('BAD_INPUT', '--store: bad value "": give a project file or a postgresql:// URL')
    return option
  }
  const env = process.env.TAGSMITH_STORE
  return env === undefined || env.trim() === '' ? undefined : env
}

/**
 * The store a command works on: the positional project when given (a --store beside it is refused, as one
 * of them would be ignored), else --store or TAGSMITH_STORE.
 */
export function storeLocation(positional: string | undefined, option: string | undefined): string | undefined {
  if (positional !== undefined && option !== undefined) {
    throw new TagsmithError('BAD_INPUT', `give the project once: ${JSON.stringify(positional)} and --store ${JSON.stringify(option)} both name one`)
  }
  return positional ?? givenStore(option)
}

/** The author of this command's steps: --user NAME (checked like a user's name), else the OS account. */
export function cliUser(option: string | undefined): string {
  if (option === undefined) return osAccountName()
  try {
    checkUserName(option)
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `--user: ${err instanceof Error ? err.message : String(err)}`)
  }
  return option
}

/** How a job ran on a team store: its snapshot's copy and write-back, for the command's JSON. */
export interface TeamStoreJob {
  snapshotSeconds: number
  writeBackSeconds: number
  /** rows written back per table */
  written: Record<string, number>
}

export interface ProjectJob<T> {
  result: T
  /** A run id as the job saw it → as the store has it (a team store's runs get their ids when written back). */
  runId: (id: number) => number
  /** Null on a project file. */
  teamStore: TeamStoreJob | null
}

/**
 * Runs a job on a project file as always, or on a team store through a snapshot: the labels as committed
 * when the job starts, and only what the job added written back (core/store/pg-snapshot.ts).
 */
export async function onProject<T>(location: string, work: (project: Project) => Promise<T>): Promise<ProjectJob<T>> {
  if (!isPostgresUrl(location)) {
    const project = Project.open(location)
    try {
      return { result: await work(project), runId: (id) => id, teamStore: null }
    } finally {
      project.close()
    }
  }
  // Loaded late so `pg` loads only for a URL, as open-store.ts does.
  const { withSnapshot } = await import('../core/store/pg-snapshot.ts')
  const { result, runIds, written, timings } = await withSnapshot(location, work)
  return {
    result,
    runId: (id) => runIds.get(id) ?? id,
    teamStore: { snapshotSeconds: round(timings.snapshotSeconds), writeBackSeconds: round(timings.writeBackSeconds), written },
  }
}

const round = (seconds: number): number => Number(seconds.toFixed(3))

/**
 * Runs a structural step (images added, a rescan) on a project file as always, or on a team store on a copy
 * of the project while other writers wait, storing what it changed all or nothing (core/store/pg-structure.ts);
 * `kind` names the change in the notice other servers hear when the step records none.
 */
export async function onProjectStep<T>(location: string, kind: string, work: (project: Project) => Promise<T>): Promise<T> {
  if (!isPostgresUrl(location)) {
    const project = Project.open(location)
    try {
      return await work(project)
    } finally {
      project.close()
    }
  }
  const store = await openSharedStore(location)
  try {
    return await store.structuralStep(work, kind)
  } finally {
    await store.close()
  }
}

/**
 * Opens a project file for a command that works on files only; a team store's URL is refused saying what
 * to do instead (the team server's page, or a file copy made with migrate), never taken for a file name.
 */
export function openFileProject(location: string, command: string): Project {
  if (isPostgresUrl(location)) {
    throw new TagsmithError(
      'BAD_INPUT',
      `${command} needs a project file, not a team store (${redactUrl(location)}): use the team server's page, or copy the store to a file with tagsmith migrate`,
    )
  }
  return Project.open(location)
}
