// Two `tagsmith serve --store postgresql://…` processes on one database, a team member on each: an edit
// through one server reaches the other's client as labels:changed within a second, with the value as
// stored; the later of two edits of one cell wins everywhere; undo refuses a cell someone else changed since,
// naming them; the log holds both authors; and a user removed in the database is shut out at once.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageRow, ServerMessage } from '../../../src-preload/contract.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { openStore } from '../../../src-main/core/store/open-store.ts'
import type { ProjectStore } from '../../../src-main/core/store/project-store.ts'
import { CLOSE_USER_REMOVED } from '../../../src-main/server/socket.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { apparelProject, fakeUi, openSocket, serve, tempDir, type Served, type SocketClient } from './helpers.ts'

const changedRow = (imageId: number) => (m: ServerMessage): boolean =>
  'type' in m && m.name === 'labels:changed' && (m.payload as { rows: ImageRow[] }).rows.some((r) => r.id === imageId)

describe.skipIf(!pgEnabled())('team servers on one PostgreSQL database', () => {
  const temp = tempDir()
  let store: ProjectStore
  let servers: Served[] = []
  let red = 0
  const tokens: Record<string, string> = {}
  const sockets: { ana?: SocketClient; ben?: SocketClient } = {}

  const join2 = async (served: Served, name: string): Promise<SocketClient> => {
    const socket = await openSocket(served.port, { origin: served.origin, cookie: `tagsmith-token-${served.port}=${tokens[name]}` })
    socket.ws.send(JSON.stringify({ type: 'subscribe', name: 'labels:changed' }))
    // The subscription is in place once a later invoke is answered (messages are handled in order).
    await socket.invoke('app:info', {})
    return socket
  }

  beforeAll(async () => {
    const url = await freshDatabase()
    const file = await apparelProject(temp.dir, 4)
    await copyFileToPostgres(file, url)
    store = await openStore(url)
    red = (await store.labels()).indexOf('red')
    for (const name of ['ana', 'ben']) tokens[name] = (await store.addUser(name)).token
    // Both servers of this machine share one config folder: each gets its own working copy.
    const config = join(temp.dir, 'config')
    servers = await Promise.all([serve(['--store', url, '--ui', fakeUi(temp.dir)], config), serve(['--store', url, '--ui', fakeUi(temp.dir)], config)])
    const [a, b] = servers as [Served, Served]
    sockets.ana = await join2(a, 'ana')
    sockets.ben = await join2(b, 'ben')
  }, 60_000)

  afterAll(async () => {
    for (const socket of Object.values(sockets)) await socket.close()
    await Promise.all(servers.map((s) => s.stop()))
    await store?.close()
    temp.remove()
  })

  it("shows one server's edit in the other server's client within a second, as stored", async () => {
    const { ana, ben } = sockets as Required<typeof sockets>
    const before = (await store.imagesByIds([1]))[0]?.labels[red]
    const value = before === 1 ? 0 : 1
    const heard = ben.next(changedRow(1))
    const sent = performance.now()
    expect(await ana.invoke('labels:set', { changes: [{ imageId: 1, label: 'red', value }] })).toMatchObject({ ok: true })
    const event = await heard
    expect(performance.now() - sent).toBeLessThan(1000)
    const row = (event as { payload: { rows: ImageRow[] } }).payload.rows.find((r) => r.id === 1)
    expect(row?.labels[red]).toBe(value)
    expect((await store.imagesByIds([1]))[0]?.labels[red]).toBe(value)
  })

  it('lets the later of two edits of one cell win everywhere; undo refuses the cell someone changed since', async () => {
    const { ana, ben } = sockets as Required<typeof sockets>
    const first = (await store.imagesByIds([2]))[0]?.labels[red] === 1 ? 0 : 1
    expect(await ana.invoke('labels:set', { changes: [{ imageId: 2, label: 'red', value: first }] })).toMatchObject({ ok: true })
    await ben.next(changedRow(2))
    const anaHears = ana.next(changedRow(2))
    expect(await ben.invoke('labels:set', { changes: [{ imageId: 2, label: 'red', value: 1 - first }] })).toMatchObject({ ok: true })
    const row = ((await anaHears) as { payload: { rows: ImageRow[] } }).payload.rows.find((r) => r.id === 2)
    expect(row?.labels[red]).toBe(1 - first)
    expect((await store.imagesByIds([2]))[0]?.labels[red]).toBe(1 - first)

    const undo = await ana.invoke('labels:undo', {})
    expect(undo).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/ben/) } })
    expect((await store.imagesByIds([2]))[0]?.labels[red]).toBe(1 - first)
    const authors = (await store.history({ limit: 10 })).map((h) => h.author)
    expect(authors).toEqual(expect.arrayContaining(['ana', 'ben']))
  })

  it("commits a label-set step in the database; the other server's client is told the shape changed; its author's undo takes it back", async () => {
    const { ana, ben } = sockets as Required<typeof sockets>
    const told = ben.next((m) => 'type' in m && m.name === 'labels:changed' && (m.payload as { structure?: string }).structure === 'label-add')
    expect(await ana.invoke('labels:edit', { op: 'add', name: 'teal', value: 0 })).toMatchObject({ ok: true, result: { structure: 'label-add' } })
    await told
    expect(await store.labels()).toContain('teal')
    expect(await ben.invoke('project:current', {})).toMatchObject({ ok: true, result: { labels: expect.arrayContaining(['teal']) } })
    // Her own latest step, and nobody's stands after it: her undo takes the label away on both servers.
    const back = ben.next((m) => 'type' in m && m.name === 'labels:changed' && (m.payload as { structure?: string }).structure !== undefined)
    expect(await ana.invoke('labels:undo', {})).toMatchObject({ ok: true })
    await back
    expect(await store.labels()).not.toContain('teal')
    expect(await ben.invoke('project:current', {})).toMatchObject({ ok: true, result: { labels: expect.not.arrayContaining(['teal']) } })
  })

  it('refuses what a team server does not do yet, naming the database', async () => {
    const rescan = await sockets.ana?.invoke('images:rescan', {})
    expect(rescan).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/rescanning the images folder is not available on a team server yet \(postgresql:/) } })
  })

  it('shuts a user removed in the database out of the other server at once', async () => {
    const ben = sockets.ben as SocketClient
    const closed = new Promise<number>((done) => ben.ws.once('close', (code) => done(code)))
    const removedAt = performance.now()
    await store.removeUser('ben')
    expect(await closed).toBe(CLOSE_USER_REMOVED)
    expect(performance.now() - removedAt).toBeLessThan(3000)
  })
})
