// `tagsmith serve --store postgresql://…`: the server's working copy is made from the database (one
// consistent read), opened as the service's project, and linked to the shared store, which from then on
// takes every label edit first and tells this server of everyone else's.
import { defaultConfigDir } from '../core/service/config-dir.ts'
import type { Service } from '../core/service/index.ts'
import { claimWorkingCopy } from '../core/service/team-copy.ts'
import { openSharedStore } from '../core/store/open-store.ts'

export interface TeamServing {
  /** The database's address without its password. */
  location: string
  /** The working copy's project file. */
  file: string
  seconds: number
  close(): Promise<void>
}

export async function serveTeamStore(service: Service, url: string, log: (line: string) => void): Promise<TeamServing> {
  const started = performance.now()
  const store = await openSharedStore(url)
  const copy = claimWorkingCopy(defaultConfigDir(), store.location)
  try {
    await store.copyToFile(copy.file)
    await service.request('project:open', { file: copy.file })
    await service.attachTeam(store, log)
  } catch (err) {
    copy.release()
    await store.close().catch(() => undefined)
    throw err
  }
  return {
    location: store.location,
    file: copy.file,
    seconds: (performance.now() - started) / 1000,
    close: async () => {
      await service.detachTeam()
      copy.release()
    },
  }
}
