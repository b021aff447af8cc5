import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Service } from '../../../src-main/core/service/index.ts'
import { EVENT_NAMES } from '../../../src-shared/names.ts'
import { startServer, type RunningServer } from '../../../src-main/server/server.ts'
import { fakeUi, openSocket, tempDir } from './helpers.ts'

// In-process, so the service's listener counts can be read directly.
describe('closing a WebSocket releases its event listeners', () => {
  const temp = tempDir()
  let service: Service
  let server: RunningServer
  const total = (): number => EVENT_NAMES.reduce((sum, name) => sum + service.events[name].listenerCount, 0)

  beforeAll(async () => {
    mkdirSync(join(temp.dir, 'config'))
    service = new Service({ configDir: join(temp.dir, 'config'), mode: 'web', version: 'test' })
    server = await startServer({ service, port: 0, uiDir: fakeUi(temp.dir) })
  })
  afterAll(async () => {
    await server.close()
    service.close()
    temp.remove()
  })

  it('counts one listener per subscribed event per client, and none after the clients leave', async () => {
    const origin = `http://127.0.0.1:${server.port}`
    const clients = await Promise.all(Array.from({ length: 5 }, () => openSocket(server.port, { origin, query: `?token=${server.token}` })))
    for (const client of clients) {
      for (const name of EVENT_NAMES) client.ws.send(JSON.stringify({ type: 'subscribe', name }))
      // Replies are in order: once app:info is answered the subscriptions are in place.
      await client.invoke('app:info', {})
    }
    expect(total()).toBe(5 * EVENT_NAMES.length)
    expect(server.sockets.sessionCount).toBe(5)

    const first = clients[0]
    first?.ws.send(JSON.stringify({ type: 'unsubscribe', name: 'job:progress' }))
    await first?.invoke('app:info', {})
    expect(service.events['job:progress'].listenerCount).toBe(4)

    const gone = new Promise<void>((done) => {
      let left = 5
      server.sockets.on('disconnect', () => --left === 0 && done())
    })
    // Half leave politely, half vanish without a close handshake.
    clients.forEach((client, i) => (i % 2 ? client.ws.terminate() : client.ws.close()))
    await gone
    expect(total()).toBe(0)
    expect(server.sockets.sessionCount).toBe(0)
  })
})
