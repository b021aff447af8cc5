// A team member's token (tagsmith users add) opens the served project as that user: their edits are
// recorded under their name, and once the user is removed (by any process) their open socket closes
// at the next message, which is not carried out. Malformed, unknown and other projects' tokens get 401.
import { userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { addUser, removeUser } from '../../../src-main/core/store/users.ts'
import { CLOSE_USER_REMOVED } from '../../../src-main/server/socket.ts'
import { apparelProject, cookieFor, fakeUi, get, openSocket, serve, tempDir, type Served } from './helpers.ts'

describe('user tokens in tagsmith serve', () => {
  const temp = tempDir()
  const other = tempDir()
  let served: Served
  let projectFile: string
  let project: Project
  const tokens: Record<string, string> = {}

  const userCookie = (name: string): string => `tagsmith-token-${served.port}=${tokens[name]}`
  /** The cell as stored in the file, read by a connection of this process. */
  const redOf = (imageId: number): number | null => {
    const row = project.imagesByIds([imageId])[0]
    return row?.labels[project.labels().indexOf('red')] ?? null
  }

  beforeAll(async () => {
    projectFile = await apparelProject(temp.dir, 3)
    project = Project.open(projectFile)
    for (const name of ['ana', 'ben']) tokens[name] = addUser(project.db, name).token
    const otherProject = Project.open(await apparelProject(other.dir, 2))
    tokens.elsewhere = addUser(otherProject.db, 'ana').token
    otherProject.close()
    served = await serve([projectFile, '--ui', fakeUi(temp.dir)], join(temp.dir, 'config'))
  })
  afterAll(async () => {
    await served.stop()
    project.close()
    temp.remove()
    other.remove()
  })

  it('trades a user token in the address for the cookie, which then opens the app', async () => {
    const first = await get(served.port, `/?token=${tokens.ana}`)
    expect(first.status).toBe(303)
    expect(String(first.headers['set-cookie'])).toContain(userCookie('ana'))
    expect((await get(served.port, '/', { cookie: userCookie('ana') })).status).toBe(200)
  })

  it("records a user's edit under their name, the launch token's under the OS account", async () => {
    const ana = await openSocket(served.port, { origin: served.origin, cookie: userCookie('ana') })
    expect(await ana.invoke('labels:set', { changes: [{ imageId: 1, label: 'red', value: 1 }] })).toMatchObject({ ok: true })
    await ana.close()
    const launcher = await openSocket(served.port, { origin: served.origin, cookie: cookieFor(served) })
    expect(await launcher.invoke('labels:set', { changes: [{ imageId: 2, label: 'red', value: 0 }] })).toMatchObject({ ok: true })
    await launcher.close()
    const [latest, before] = project.edits.entries({ limit: 2 })
    expect(latest).toMatchObject({ author: userInfo().username, changes: [{ imageId: 2, label: 'red', new: 0 }] })
    expect(before).toMatchObject({ author: 'ana', changes: [{ imageId: 1, label: 'red', new: 1 }] })
  })

  it("keeps a user's undo to their own steps and keeps project switching with the launcher", async () => {
    const ana = await openSocket(served.port, { origin: served.origin, cookie: userCookie('ana') })
    // The launcher's later step is on another image: ana's undo takes back her own step, not it.
    expect(await ana.invoke('labels:undo', {})).toMatchObject({ ok: true, result: { canRedo: true } })
    expect(redOf(1)).toBe(0)
    expect(redOf(2)).toBe(0)
    expect(await ana.invoke('labels:redo', {})).toMatchObject({ ok: true })
    expect(redOf(1)).toBe(1)
    const open = await ana.invoke('project:open', { file: projectFile })
    expect(open).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('project:open is for whoever started the server') } })
    await ana.close()
  })

  it("closes a removed user's socket at their next message, which is not carried out", async () => {
    const ben = await openSocket(served.port, { origin: served.origin, cookie: userCookie('ben') })
    expect(await ben.invoke('app:info', {})).toMatchObject({ ok: true })
    const closed = new Promise<{ code: number; reason: string }>((done) => ben.ws.once('close', (code, reason) => done({ code, reason: reason.toString() })))
    removeUser(project.db, 'ben')
    const before = redOf(3)
    const reply = await ben.invoke('labels:set', { changes: [{ imageId: 3, label: 'red', value: before === 1 ? 0 : 1 }] }).catch(() => 'closed first')
    // Rarely the server's periodic check (every 2 s) closes the socket just before the message comes;
    // otherwise the message itself is answered. Either way it is not carried out (below).
    if (reply !== 'closed first') {
      expect(reply).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('the user was removed from this project') } })
    }
    expect(await closed).toEqual({ code: CLOSE_USER_REMOVED, reason: expect.stringContaining('the user was removed') })
    expect(redOf(3)).toBe(before)
    expect(project.edits.entries({ user: 'ben' })).toEqual([])
    const page = await get(served.port, '/', { cookie: userCookie('ben') })
    expect(page.status).toBe(401)
    expect(page.body).toContain('its user was removed')
    await expect(openSocket(served.port, { origin: served.origin, cookie: userCookie('ben') })).rejects.toMatchObject({ status: 401 })
  })

  it("refuses a malformed token, an unknown one and another project's with 401 and a reason, never the token", async () => {
    const cases: Array<[string, string]> = [
      ['tsu_short', 'the token is malformed'],
      [`tsu_${'A'.repeat(43)}`, 'names no user of the project open on this server'],
      [tokens.elsewhere ?? '', 'it may belong to another project'],
    ]
    for (const [token, reason] of cases) {
      const page = await get(served.port, `/?token=${token}`)
      expect(page.status, token).toBe(401)
      expect(page.body, token).toContain(reason)
      expect(page.body, token).not.toContain(token)
      await expect(openSocket(served.port, { origin: served.origin, query: `?token=${token}` }), token).rejects.toMatchObject({ status: 401 })
    }
    expect(project.edits.entries().length).toBe(2)
  })
})
