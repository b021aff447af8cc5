import { describe, expect, it } from 'vitest'
import type { Service } from '../../../src-main/core/service/index.ts'
import { Emitter } from '../../../src-main/core/service/emitter.ts'
import { EVENT_NAMES } from '../../../src-shared/names.ts'
import { FakeClient } from './fake-transport.ts'
import { apparelProject, newService } from './helpers.ts'

function listenerCounts(service: Service): Record<string, number> {
  return Object.fromEntries(EVENT_NAMES.map((name) => [name, service.events[name].listenerCount]))
}

const none = Object.fromEntries(EVENT_NAMES.map((name) => [name, 0]))

describe('event subscriptions leave no leaked listeners', () => {
  it('removes each listener when its last subscriber unsubscribes', async () => {
    const service = newService()
    const client = new FakeClient(service, 'a')
    const offs = EVENT_NAMES.flatMap((name) => [client.on(name, () => {}), client.on(name, () => {})])
    // Two local listeners per event share one subscription on the service side.
    expect(listenerCounts(service)).toEqual(Object.fromEntries(EVENT_NAMES.map((name) => [name, 1])))
    for (const off of offs) off()
    for (const off of offs) off() // unsubscribing twice is harmless
    expect(listenerCounts(service)).toEqual(none)
    expect(client.session.subscriptionCount).toBe(0)
  })

  it('drops every subscription of a client that disconnects', () => {
    const service = newService()
    const clients = Array.from({ length: 20 }, (_, i) => new FakeClient(service, `c${i}`))
    for (const client of clients) for (const name of EVENT_NAMES) client.on(name, () => {})
    expect(service.events['job:progress'].listenerCount).toBe(20)
    for (const client of clients) client.close()
    expect(listenerCounts(service)).toEqual(none)
  })

  it('subscribing twice to the same event without unsubscribing adds one listener', async () => {
    const service = newService()
    const client = new FakeClient(service, 'a')
    await client.send(JSON.stringify({ type: 'subscribe', name: 'labels:changed' }))
    await client.send(JSON.stringify({ type: 'subscribe', name: 'labels:changed' }))
    expect(service.events['labels:changed'].listenerCount).toBe(1)
    await client.send(JSON.stringify({ type: 'unsubscribe', name: 'labels:changed' }))
    expect(service.events['labels:changed'].listenerCount).toBe(0)
  })

  it('refuses subscriptions to unknown events without adding listeners', async () => {
    const service = newService()
    const client = new FakeClient(service, 'a')
    const replies = await client.send(JSON.stringify({ type: 'subscribe', name: 'fs:read' }))
    expect(replies).toEqual([{ id: null, ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('unknown event') } }])
    expect(listenerCounts(service)).toEqual(none)
  })

  it('sends labels:changed to other subscribers but not back to the client that made the edit', async () => {
    const service = newService()
    const editor = new FakeClient(service, 'editor')
    const watcher = new FakeClient(service, 'watcher')
    const seenByEditor: unknown[] = []
    const seenByWatcher: Array<{ id: number; labels: unknown[] }[]> = []
    editor.on('labels:changed', (payload) => seenByEditor.push(payload))
    watcher.on('labels:changed', ({ rows }) => seenByWatcher.push(rows.map(({ id, labels }) => ({ id, labels }))))
    const info = await editor.invoke('project:open', { file: await apparelProject(3) })
    const red = info.labels.indexOf('red')
    const result = await editor.invoke('labels:set', { changes: [{ imageId: 1, label: 'red', value: 1 }] })
    expect(result.rows[0]?.labels[red]).toBe(1)
    expect(seenByEditor).toEqual([])
    expect(seenByWatcher).toEqual([[{ id: 1, labels: result.rows[0]?.labels }]])
    editor.close()
    watcher.close()
    expect(listenerCounts(service)).toEqual(none)
  })

  it('an emitter keeps delivering when one listener throws', () => {
    const emitter = new Emitter<number>()
    const got: number[] = []
    const offBroken = emitter.on(() => {
      throw new Error('closed socket')
    })
    const offGood = emitter.on((n) => got.push(n))
    const quiet = console.error
    console.error = () => {}
    try {
      emitter.emit(7)
    } finally {
      console.error = quiet
    }
    expect(got).toEqual([7])
    offBroken()
    offGood()
    expect(emitter.listenerCount).toBe(0)
  })
})
