// What a team server does not do yet: requests that would change the working copy behind the shared
// store's back (adding or rescanning rows) or swap the project it serves. Each is
// refused saying where it can be done instead, so nothing diverges from what the team sees.
import type { RequestName } from '../../../src-preload/contract.ts'
import { TagsmithError } from '../errors.ts'
import { LAUNCHER_ONLY_REQUESTS } from './team-access.ts'

const NOT_ON_TEAM_SERVER: ReadonlyMap<RequestName, string> = new Map<RequestName, string>([
  ['images:add', 'adding images'],
  ['images:rescan', 'rescanning the images folder'],
  ['project:open', 'opening another project'],
  ['project:import', 'importing another project'],
  ['project:importFolder', 'importing another project'],
  ['project:close', 'closing the project'],
])

/** The requests a team server refuses whoever asks. */
export const TEAM_SERVER_REFUSES: readonly RequestName[] = [...NOT_ON_TEAM_SERVER.keys()]

/** What a team server refuses a connection: its own list, and for a team member the launcher's requests too. */
export function refusedOnTeamServer(user: string | undefined): RequestName[] {
  const refused = new Set(TEAM_SERVER_REFUSES)
  if (user !== undefined) for (const name of LAUNCHER_ONLY_REQUESTS) refused.add(name)
  return [...refused]
}

/** Throws UNAVAILABLE for a request a team server on `location` does not serve. */
export function checkTeamServer(name: RequestName, location: string): void {
  const what = NOT_ON_TEAM_SERVER.get(name)
  if (what !== undefined) {
    throw new TagsmithError(
      'UNAVAILABLE',
      `${what} is not available on a team server yet (${location}): migrate the store to a file (tagsmith migrate), change it there, and import it again`,
    )
  }
}
