// Which store a command works on and who it writes as. A store is a project file or a team store's
// PostgreSQL URL, given as the command's first argument (as always), with --store, or in TAGSMITH_STORE;
// the author of a command's steps is --user, else the OS account.
import { Project } from '../core/dataset/project.ts'
import { osAccountName } from '../core/dataset/edit-authors.ts'
import { TagsmithError } from '../core/errors.ts'
import { isPostgresUrl } from '../core/store/open-store.ts'
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

/** Opens a project file for a command the team store cannot serve yet; a database URL is refused saying so. */
export function openProjectFile(location: string, what: string): Project {
  if (isPostgresUrl(location)) {
    throw new TagsmithError('BAD_INPUT', `${what} on a team store is not supported yet: migrate it to a file (tagsmith migrate)`)
  }
  return Project.open(location)
}
