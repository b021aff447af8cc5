// What a team member's client (web mode with a user token) may not ask: requests that switch or close the
// project everyone works on, or reach the server's own files and folders by path. Those stay with whoever
// started the server (the launch token, or the desktop app).
import type { RequestName } from '../../../src-preload/contract.ts'
import { TagsmithError } from '../errors.ts'

const LAUNCHER_ONLY: ReadonlySet<RequestName> = new Set<RequestName>([
  'project:open',
  'project:import',
  'project:folderPreview',
  'project:importFolder',
  'project:recent',
  'project:close',
  'dataset:export',
  'model:export',
  'image:reveal',
  'dialog:openCsv',
  'dialog:openProject',
  'dialog:chooseFolder',
])

/** The requests a team member's client is refused (the launch token and the desktop app are not). */
export const LAUNCHER_ONLY_REQUESTS: readonly RequestName[] = [...LAUNCHER_ONLY]

/** Throws UNAVAILABLE when `user` (a team member) asks for a request reserved to the server's launcher. */
export function checkTeamAccess(name: RequestName, user: string | undefined): void {
  if (user !== undefined && LAUNCHER_ONLY.has(name)) {
    throw new TagsmithError('UNAVAILABLE', `${name} is for whoever started the server; user ${JSON.stringify(user)} cannot switch, close or export the project or reach the server's files`)
  }
}
