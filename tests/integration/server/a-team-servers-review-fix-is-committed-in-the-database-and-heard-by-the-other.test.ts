// Two team servers (in this process, each a Service on its own working copy of one PostgreSQL database):
// accepting the model's view of a suspect on one commits the fix in the database with its author, remembers
// the review in that server's copy, and the other server's client hears the stored value; undo takes the fix
// back everywhere. Also: a server's working copy is its own, and closing the project is refused naming the database.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Events } from '../../../src-preload/contract.ts'
import { osAccountName } from '../../../src-main/core/dataset/edit-authors.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { openStore } from '../../../src-main/core/store/open-store.ts'
import type { ProjectStore } from '../../../src-main/core/store/project-store.ts'
import { serveTeamStore, type TeamServing } from '../../../src-main/cli/team-serve.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { FakeClient } from '../../unit/service/fake-transport.ts'
import { addRun, handMadeProject, type HandMade } from '../../unit/quality/hand-made-project.ts'

const LABELS = ['a', 'b', 'c']
const ROWS = [
  { path: 'img/1.jpg', cells: ['1', '0', '0'], probs: [0.05, 0.1, 0.1] },
  { path: 'img/2.jpg', cells: ['0', '1', '0'], probs: [0.1, 0.9, 0.1] },
  { path: 'img/3.jpg', cells: ['0', '0', '1'], probs: [0.1, 0.1, 0.9] },
]

describe.skipIf(!pgEnabled())('a review on a team server', () => {
  let made: HandMade
  let store: ProjectStore
  let config: string
  const servers: Array<{ service: Service; serving: TeamServing }> = []

  beforeAll(async () => {
    made = await handMadeProject(LABELS, ROWS)
    addRun(made, LABELS, Object.fromEntries(ROWS.map((r) => [r.path, r.probs])))
    const url = await freshDatabase()
    await copyFileToPostgres(made.file, url)
    store = await openStore(url)
    config = mkdtempSync(join(tmpdir(), 'tagsmith-team-config-'))
    vi.stubEnv('TAGSMITH_CONFIG_DIR', config)
    for (let i = 0; i < 2; i++) {
      const service = new Service({ configDir: join(config, `app-${i}`), mode: 'web', version: '0.0.0-test' })
      servers.push({ service, serving: await serveTeamStore(service, url, () => undefined) })
    }
  })

  afterAll(async () => {
    for (const { service, serving } of servers) {
      await serving.close()
      service.close()
    }
    await store?.close()
    vi.unstubAllEnvs()
    made?.remove()
    rmSync(config, { recursive: true, force: true })
  })

  const id = (path: string): number => made.ids.get(path) ?? -1
  const stored = async (path: string, label: string): Promise<number | null> =>
    (await store.imagesByIds([id(path)]))[0]?.labels[LABELS.indexOf(label)] ?? null

  it('gives each server its own working copy', () => {
    const [one, two] = servers
    expect(one?.serving.file).not.toBe(two?.serving.file)
  })

  it("commits an accepted fix in the database under its author; the other server's client hears it; undo takes it back", async () => {
    const [one, two] = servers as unknown as [{ service: Service }, { service: Service }]
    const ui = new FakeClient(one.service, 'ui')
    const elsewhere = new FakeClient(two.service, 'elsewhere')
    const heard: Array<Events['labels:changed']> = []
    elsewhere.on('labels:changed', (e) => heard.push(e))
    const img1 = id('img/1.jpg')

    const queue = await ui.invoke('quality:suspects', {})
    expect(queue.suspects.map((s) => [s.image, s.label, s.stored])).toEqual([['img/1.jpg', 'a', 1]])
    const accepted = await ui.invoke('quality:review', { runId: queue.runId, imageId: img1, label: 'a', action: 'accept' })
    expect(accepted).toMatchObject({ reviewed: 1, fixed: 1, edit: { changes: [{ imageId: img1, label: 'a', old: 1, new: 0 }], canUndo: true } })
    expect(await stored('img/1.jpg', 'a')).toBe(0)
    expect((await store.history({ limit: 1 }))[0]).toMatchObject({ author: osAccountName(), changes: [{ imageId: img1, label: 'a', new: 0 }] })
    await vi.waitFor(() => expect(heard.flatMap((e) => e.rows).find((r) => r.id === img1)?.labels[0]).toBe(0), { timeout: 2000 })
    expect((await ui.invoke('quality:suspects', {})).suspects).toEqual([])

    heard.length = 0
    await ui.invoke('labels:undo', {})
    expect(await stored('img/1.jpg', 'a')).toBe(1)
    await vi.waitFor(() => expect(heard.flatMap((e) => e.rows).find((r) => r.id === img1)?.labels[0]).toBe(1), { timeout: 2000 })
  })

  it('refuses switching the project, naming the database, and changes nothing', async () => {
    const ui = new FakeClient((servers[0] as { service: Service }).service, 'ui')
    await expect(ui.invoke('project:close', {})).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('closing the project is not available on a team server yet (postgresql://'),
    })
    expect((servers[0] as { service: Service }).service.project).not.toBeNull()
  })
})
