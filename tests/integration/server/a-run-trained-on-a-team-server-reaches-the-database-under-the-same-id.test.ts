// Two team servers (in this process, each a Service on its own working copy of one PostgreSQL database):
// a run stored in a server's copy, as training stores it, goes to the database with its predictions, its
// features and its author, under the id the database gives it, and takes that id in the copy too; reviews
// and confirmations follow it. A push the database refuses waits and goes with the next one or when the
// server stops. A server started afterwards lists every run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { connectPool, parsePgUrl } from '../../../src-main/core/store/pg-connect.ts'
import { openStore } from '../../../src-main/core/store/open-store.ts'
import type { ProjectStore } from '../../../src-main/core/store/project-store.ts'
import { serveTeamStore, type TeamServing } from '../../../src-main/cli/team-serve.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { FakeClient } from '../../unit/service/fake-transport.ts'
import { addRun, handMadeProject, type HandMade } from '../../unit/quality/hand-made-project.ts'
import type pg from 'pg'

const LABELS = ['a', 'b', 'c']
const ROWS = [
  { path: 'img/1.jpg', cells: ['1', '0', '0'], probs: [0.05, 0.1, 0.1] },
  { path: 'img/2.jpg', cells: ['0', '1', '0'], probs: [0.1, 0.9, 0.1] },
  { path: 'img/3.jpg', cells: ['0', '0', '1'], probs: [0.1, 0.1, 0.9] },
]
const PROBS = Object.fromEntries(ROWS.map((r) => [r.path, r.probs]))

interface Server {
  service: Service
  serving: TeamServing
  log: string[]
}

describe.skipIf(!pgEnabled())('a run on a team server', () => {
  let made: HandMade
  let url: string
  let store: ProjectStore
  let pool: pg.Pool
  let config: string
  const servers: Server[] = []

  async function startServer(): Promise<Server> {
    const service = new Service({ configDir: join(config, `app-${servers.length}`), mode: 'web', version: '0.0.0-test' })
    const log: string[] = []
    const server = { service, serving: await serveTeamStore(service, url, (line) => log.push(line)), log }
    servers.push(server)
    return server
  }

  /** A run stored in the server's working copy as training stores it, by `author`; its id there. */
  function storeRun(server: Server, author: string): number {
    const id = addRun({ ...made, file: server.serving.file }, LABELS, PROBS)
    server.service.project?.db.prepare('UPDATE runs SET author = ? WHERE id = ?').run(author, id)
    return id
  }

  const rows = async <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> => (await pool.query<R>(sql, values)).rows
  const localRuns = (server: Server): Array<{ id: number; author: string | null }> =>
    server.service.project?.db.prepare('SELECT id, author FROM runs ORDER BY id').all() as Array<{ id: number; author: string | null }>
  const storedRuns = (): Promise<Array<{ id: number; author: string | null }>> => rows('SELECT id, author FROM runs ORDER BY id')

  beforeAll(async () => {
    made = await handMadeProject(LABELS, ROWS)
    addRun(made, LABELS, PROBS)
    url = await freshDatabase()
    await copyFileToPostgres(made.file, url)
    store = await openStore(url)
    pool = await connectPool(parsePgUrl(url), 1)
    config = mkdtempSync(join(tmpdir(), 'tagsmith-team-config-'))
    vi.stubEnv('TAGSMITH_CONFIG_DIR', config)
    await startServer()
    await startServer()
  })

  afterAll(async () => {
    vi.restoreAllMocks()
    for (const { service, serving } of servers) {
      await serving.close().catch(() => undefined)
      service.close()
    }
    await pool?.end()
    await store?.close()
    vi.unstubAllEnvs()
    made?.remove()
    rmSync(config, { recursive: true, force: true })
  })

  it("stores a run with its predictions and features under the database's id, renumbered in the copy when another server's run took its id", async () => {
    const [one, two] = servers as [Server, Server]
    expect(await two.service.team?.push.runStored(storeRun(two, 'bob'))).toBe(2)

    // The first server's copy does not know run 2: its run is 2 here, 3 in the database.
    const here = storeRun(one, 'ann')
    expect(here).toBe(2)
    const hash = one.service.project?.db.prepare('SELECT hash FROM images LIMIT 1').pluck().get() as string
    // A composite run's parts are stored apart (here the run's own key and a colour part).
    const addFeature = one.service.project?.db.prepare('INSERT INTO features (hash, backbone, prep, dim, data) VALUES (?, ?, ?, 2, ?)')
    addFeature?.run(hash, 'b:l1', 1, Buffer.alloc(8, 7))
    addFeature?.run(hash, 'colour-histograms@224', 1001, Buffer.alloc(8, 9))
    expect(await one.service.team?.push.runStored(here)).toBe(3)

    expect(localRuns(one)).toEqual([
      { id: 1, author: null },
      { id: 3, author: 'ann' },
    ])
    expect(await storedRuns()).toEqual([
      { id: 1, author: null },
      { id: 2, author: 'bob' },
      { id: 3, author: 'ann' },
    ])
    const predictions = await rows<{ image_id: number; probs: Buffer }>('SELECT image_id, probs FROM run_predictions WHERE run_id = 3 ORDER BY image_id')
    expect(predictions.map((p) => [p.image_id, [...new Float32Array(new Uint8Array(p.probs).buffer)].map((v) => Math.round(v * 100) / 100)])).toEqual(
      ROWS.map((r) => [made.ids.get(r.path), r.probs]),
    )
    expect(one.service.project?.db.prepare('SELECT count(*) FROM run_predictions WHERE run_id = 3').pluck().get()).toBe(3)
    expect(await rows('SELECT hash, backbone, prep, dim FROM features ORDER BY backbone')).toEqual([
      { hash, backbone: 'b:l1', prep: 1, dim: 2 },
      { hash, backbone: 'colour-histograms@224', prep: 1001, dim: 2 },
    ])
    expect(one.log).toEqual([])
  })

  it('stores a review and a confirmation made under the run', async () => {
    const ui = new FakeClient((servers[0] as Server).service, 'ui')
    const img1 = made.ids.get('img/1.jpg')
    const img2 = made.ids.get('img/2.jpg')
    expect((await ui.invoke('quality:suspects', {})).runId).toBe(3)
    await ui.invoke('quality:review', { runId: 3, imageId: img1 ?? -1, label: 'a', action: 'keep' })
    await ui.invoke('quality:confirm', { runId: 3, imageId: img2 ?? -1 })
    expect(await rows('SELECT image_id, value, outcome, run_id FROM label_reviews')).toEqual([{ image_id: img1, value: 1, outcome: 'kept', run_id: 3 }])
    expect(await rows('SELECT image_id, run_id, labels FROM uncertain_confirmations')).toEqual([{ image_id: img2, run_id: 3, labels: '010' }])
  })

  it('keeps a run the database could not take, with its review, and sends it before the next run, or when the server stops', async () => {
    const [one, two] = servers as [Server, Server]
    const pushRuns = vi.spyOn(Object.getPrototypeOf(store) as { pushRuns: () => Promise<Map<number, number>> }, 'pushRuns')
    pushRuns.mockRejectedValueOnce(new TagsmithError('UNAVAILABLE', 'cannot reach PostgreSQL at the test host'))
    expect(await one.service.team?.push.runStored(storeRun(one, 'ann'))).toBe(4)
    expect(one.log).toEqual([expect.stringMatching(/^tagsmith serve: run 4 was not stored in postgresql:\/\/.*cannot reach PostgreSQL.*trying again at the next training/)])
    const ui = new FakeClient(one.service, 'ui')
    await ui.invoke('quality:review', { runId: 4, imageId: made.ids.get('img/1.jpg') ?? -1, label: 'a', action: 'keep' })
    expect(await rows('SELECT run_id FROM label_reviews')).toEqual([{ run_id: 3 }])

    // Meanwhile the other server's run takes 4; the waiting run and the next one become 5 and 6.
    expect(await two.service.team?.push.runStored(storeRun(two, 'bob'))).toBe(4)
    expect(await one.service.team?.push.runStored(storeRun(one, 'ann'))).toBe(6)
    expect(localRuns(one).map((r) => r.id)).toEqual([1, 3, 5, 6])
    expect((await storedRuns()).map((r) => `${r.id}:${r.author}`)).toEqual(['1:null', '2:bob', '3:ann', '4:bob', '5:ann', '6:ann'])
    expect(await rows('SELECT run_id, count(*) AS n FROM run_predictions GROUP BY run_id ORDER BY run_id')).toEqual(
      [1, 2, 3, 4, 5, 6].map((run_id) => ({ run_id, n: 3 })),
    )
    expect(await rows('SELECT run_id FROM label_reviews')).toEqual([{ run_id: 5 }])
    expect(one.service.project?.db.prepare('SELECT run_id FROM label_reviews').pluck().all()).toEqual([5])

    pushRuns.mockRejectedValueOnce(new TagsmithError('UNAVAILABLE', 'cannot reach PostgreSQL at the test host'))
    expect(await one.service.team?.push.runStored(storeRun(one, 'ann'))).toBe(7)
    await one.serving.close()
    expect((await storedRuns()).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7])
  })

  it('lists every run on a server started afterwards', async () => {
    const later = new FakeClient((await startServer()).service, 'later')
    expect((await later.invoke('train:runs', {})).map((r) => `${r.id}:${r.author}`)).toEqual(['1:null', '2:bob', '3:ann', '4:bob', '5:ann', '6:ann', '7:ann'])
  })
})
