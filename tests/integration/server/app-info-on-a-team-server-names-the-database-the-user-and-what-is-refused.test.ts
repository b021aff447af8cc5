// A team server's app:info tells each connection where it is and as whom: the database's address (no
// password), the team member (or, for the launch token, the OS account of whoever started the server) and
// the requests the server will refuse it, so the page offers none of them. A server on a project file
// answers no team at all.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { RequestName } from '../../../src-preload/contract.ts'
import { osAccountName } from '../../../src-main/core/dataset/edit-authors.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { serveTeamStore, type TeamServing } from '../../../src-main/cli/team-serve.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { FakeClient } from '../../unit/service/fake-transport.ts'
import { handMadeProject, type HandMade } from '../../unit/quality/hand-made-project.ts'

const LABELS = ['a', 'b']
const ROWS = [
  { path: 'img/1.jpg', cells: ['1', '0'] },
  { path: 'img/2.jpg', cells: ['0', '1'] },
]

// Refused to everyone on a team server, and to a member besides.
const EVERYONE: RequestName[] = ['images:add', 'images:rescan', 'project:open', 'project:close']
const MEMBER_ONLY: RequestName[] = ['dataset:export', 'model:export', 'project:recent', 'image:reveal']

describe.skipIf(!pgEnabled())('app:info on a team server', () => {
  let made: HandMade
  let config: string
  let url: string
  let service: Service
  let serving: TeamServing

  beforeAll(async () => {
    made = await handMadeProject(LABELS, ROWS)
    url = await freshDatabase()
    await copyFileToPostgres(made.file, url)
    config = mkdtempSync(join(tmpdir(), 'tagsmith-team-info-'))
    vi.stubEnv('TAGSMITH_CONFIG_DIR', config)
    service = new Service({ configDir: join(config, 'app'), mode: 'web', version: '0.0.0-test' })
    serving = await serveTeamStore(service, url, () => undefined)
  })

  afterAll(async () => {
    await serving?.close()
    service?.close()
    vi.unstubAllEnvs()
    made?.remove()
    if (config) rmSync(config, { recursive: true, force: true })
  })

  it("answers a member's connection with the database, the member and the launcher's requests among the refused", async () => {
    const { team } = await new FakeClient(service, 'ana-page', 'ana').invoke('app:info', {})
    expect(team).toMatchObject({ store: serving.location, user: 'ana', launcher: false })
    expect(team?.store).toMatch(/^postgresql:\/\/.*\/[^/]+$/)
    expect(team?.refused).toEqual(expect.arrayContaining([...EVERYONE, ...MEMBER_ONLY]))
    expect(new Set(team?.refused).size).toBe(team?.refused.length)
  })

  it('answers the launch token as the OS account, refused only what the team server refuses everyone', async () => {
    const { team } = await new FakeClient(service, 'launcher-page').invoke('app:info', {})
    expect(team).toMatchObject({ store: serving.location, user: osAccountName(), launcher: true })
    expect(team?.refused).toEqual(expect.arrayContaining(EVERYONE))
    for (const name of MEMBER_ONLY) expect(team?.refused).not.toContain(name)
  })

  it('lists exactly what the server then refuses the connection', async () => {
    const member = new FakeClient(service, 'ben-page', 'ben')
    const { team } = await member.invoke('app:info', {})
    for (const name of ['dataset:export', 'project:close', 'labels:history'] as const) {
      const reply = await service.handle(name, {}, 'ben-page', 'ben')
      expect(reply.ok ? 'answered' : reply.error.code, name).toBe(team?.refused.includes(name) ? 'UNAVAILABLE' : 'answered')
    }
  })

  it('answers no team on a server of a project file', async () => {
    const plain = new Service({ configDir: join(config, 'plain'), mode: 'web', version: '0.0.0-test' })
    try {
      await plain.request('project:open', { file: made.file })
      expect(await new FakeClient(plain, 'page', 'ana').invoke('app:info', {})).toEqual({ version: '0.0.0-test', mode: 'web' })
    } finally {
      plain.close()
    }
  })
})
