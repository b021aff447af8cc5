// The service's app-level requests: what runs, cancelling a job, and the native file dialogs.
import type { AppInfo } from '../../../src-preload/contract.ts'
import { TagsmithError } from '../errors.ts'
import type { HandlerTable } from './handler-table.ts'
import type { JobTable } from '../jobs/job-table.ts'
import type { TeamLink } from './team-link.ts'
import { refusedOnTeamServer } from './team-server.ts'

/** Native dialogs, provided by the Electron shell; web mode has none. */
export interface Dialogs {
  openCsv(): Promise<string[]>
  openProject(): Promise<string | null>
  chooseFolder(title?: string): Promise<string | null>
}

type AppRequest = 'app:info' | 'job:cancel' | 'dialog:openCsv' | 'dialog:openProject' | 'dialog:chooseFolder'

export interface AppHandlerOptions {
  info: AppInfo
  jobs: JobTable
  dialogs?: Dialogs
  /** The team link, once this is a team server. */
  team?: () => TeamLink | null
}

export function appHandlers({ info, jobs, dialogs, team }: AppHandlerOptions): HandlerTable<AppRequest> {
  const native = (): Dialogs => {
    if (!dialogs) {
      throw new TagsmithError('UNAVAILABLE', 'native file dialogs are not available in web mode; type the path instead')
    }
    return dialogs
  }
  return {
    'app:info': async (_input, _origin, user) => {
      const link = team?.() ?? null
      if (link === null) return { version: info.version, mode: info.mode }
      // No user: the launch token (or an in-process caller), which acts as whoever started the server.
      const asked = { store: link.location, user: link.author(user), launcher: user === undefined, refused: refusedOnTeamServer(user) }
      return { version: info.version, mode: info.mode, team: asked }
    },
    'job:cancel': async ({ jobId }) => {
      jobs.cancel(jobId)
      return null
    },
    'dialog:openCsv': async () => native().openCsv(),
    'dialog:openProject': async () => native().openProject(),
    'dialog:chooseFolder': async ({ title }) => native().chooseFolder(title),
  }
}
