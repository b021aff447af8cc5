import { describe, expect, it, vi } from 'vitest'
import type { RequestName, Requests, TagsmithApi, TeamInfo } from '../../../src-preload/contract.ts'
import { databaseName } from '../../../src-renderer/lib/team-server.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const STORE = 'postgresql://tagsmith:***@db.example:5432/shop'

/** A team server's answer to app:info for one connection. */
class TeamBridge extends FakeBridge {
  constructor(private readonly team: TeamInfo) {
    super(sampleRows())
  }

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name === 'app:info') return Promise.resolve({ version: '0.0.0', mode: 'web', team: this.team } as Requests[K]['out'])
    return super.answer(name, input)
  }
}

describe("a team server's page", () => {
  it('names the database from its address, whatever the address holds', () => {
    expect(databaseName(STORE)).toBe('shop')
    expect(databaseName('postgresql://ana@db.example/team%20one?sslmode=require')).toBe('team one')
    // No database in the address: the whole address, rather than nothing.
    expect(databaseName('postgresql://db.example')).toBe('postgresql://db.example')
    expect(databaseName('not a url')).toBe('not a url')
  })

  it("keeps a member's team and gives the reason for each refused request, none for the rest", async () => {
    await openProject(new TeamBridge({ store: STORE, user: 'ana', launcher: false, refused: ['labels:edit', 'dataset:export'] }), use)
    const project = useProjectStore()
    expect(project.team).toMatchObject({ store: STORE, user: 'ana' })
    expect(project.refused('dataset:export')).toBe(`Not available to ana on a team server (${STORE})`)
    expect(project.refused('labels:edit')).toContain(STORE)
    expect(project.refused('labels:set')).toBeNull()
    expect(project.refused('model:export')).toBeNull()
  })

  it("does not name the launcher as the one refused", async () => {
    await openProject(new TeamBridge({ store: STORE, user: 'sam', launcher: true, refused: ['project:close'] }), use)
    expect(useProjectStore().refused('project:close')).toBe(`Not available on a team server (${STORE})`)
  })

  it('offers everything on a server of a project file', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const project = useProjectStore()
    expect(project.team).toBeNull()
    expect(project.refused('labels:edit')).toBeNull()
  })
})
