// What the page says about a team server: the database it serves, and why it does not offer what the
// server would refuse this connection.
import type { RequestName, TeamInfo } from '../../src-preload/contract.ts'

/** The database's name in a team store's address ("shop" in postgresql://ana@db.example:5432/shop), else the address. */
export function databaseName(store: string): string {
  try {
    const name = decodeURIComponent(new URL(store).pathname.replace(/^\/+/, ''))
    return name === '' ? store : name
  } catch {
    return store
  }
}

/** Why `name` is not offered to this connection (a title for the control), or null when it is. */
export function refusalReason(team: TeamInfo | null | undefined, name: RequestName): string | null {
  if (!team?.refused.includes(name)) return null
  const who = team.launcher ? '' : ` to ${team.user}`
  return `Not available${who} on a team server (${team.store})`
}
