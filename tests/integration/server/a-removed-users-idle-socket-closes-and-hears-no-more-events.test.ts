// A team member's socket that sends nothing is checked too: once the user is removed it stops hearing
// the project's events and closes, saying why. In-process, with a short check interval.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { addUser, removeUser } from '../../../src-main/core/store/users.ts'
import { startServer, type RunningServer } from '../../../src-main/server/server.ts'
import { CLOSE_USER_REMOVED } from '../../../src-main/server/socket.ts'
import { apparelProject, fakeUi, openSocket, tempDir } from './helpers.ts'

describe("a removed user's idle socket", () => {
  const temp = tempDir()
  let service: Service
  let server: RunningServer
  let project: Project

  beforeAll(async () => {
    const file = await apparelProject(temp.dir, 2)
    project = Project.open(file)
    mkdirSync(join(temp.dir, 'config'))
    service = new Service({ configDir: join(temp.dir, 'config'), mode: 'web', version: 'test' })
    await service.request('project:open', { file })
    server = await startServer({ service, port: 0, uiDir: fakeUi(temp.dir), recheckMs: 50 })
  })
  afterAll(async () => {
    await server.close()
    service.close()
    project.close()
    temp.remove()
  })

  it('hears edits while the user exists, then closes within the check interval without a message of its own', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    const cy = await openSocket(server.port, { origin, query: `?token=${addUser(project.db, 'cy').token}` })
    cy.ws.send(JSON.stringify({ type: 'subscribe', name: 'labels:changed' }))
    await cy.invoke('app:info', {})
    await service.request('labels:set', { changes: [{ imageId: 1, label: 'red', value: 1 }] }, 'launcher')
    expect(await cy.next((m) => 'type' in m && m.name === 'labels:changed')).toMatchObject({ payload: { rows: [{ id: 1 }] } })

    const closed = new Promise<{ code: number; reason: string }>((done) => cy.ws.once('close', (code, reason) => done({ code, reason: reason.toString() })))
    removeUser(project.db, 'cy')
    expect(await closed).toEqual({ code: CLOSE_USER_REMOVED, reason: expect.stringContaining('the user was removed from this project') })
    expect(service.events['labels:changed'].listenerCount).toBe(0)
    await expect.poll(() => server.sockets.sessionCount).toBe(0)
  })
})
