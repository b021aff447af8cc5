import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apparelProject, cookieFor, fakeUi, openSocket, serve, tempDir, type Served } from './helpers.ts'

/** A small seeded generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function junk(next: () => number, length: number): string {
  return Array.from({ length }, () => String.fromCharCode(Math.floor(next() * 0x7f))).join('')
}

const MALFORMED: string[] = [
  '',
  'not json',
  '{',
  '[]',
  '[1,2,3]',
  'null',
  '42',
  '"invoke"',
  'true',
  '{}',
  '{"type":"invoke"}',
  '{"type":"invoke","id":"1","name":"app:info","input":{}}',
  '{"type":"invoke","id":-1,"name":"app:info","input":{}}',
  '{"type":"invoke","id":1.5,"name":"app:info","input":{}}',
  '{"type":"invoke","id":1e300,"name":"app:info","input":{}}',
  '{"type":"invoke","id":null,"name":"app:info","input":{}}',
  '{"type":"invoke","id":{},"name":"app:info","input":{}}',
  '{"type":"delete","id":1}',
  '{"type":{"$gt":""},"id":1}',
  '{"type":"subscribe","name":"fs:write"}',
  '{"type":"subscribe","name":["labels:changed"]}',
  '{"type":"unsubscribe"}',
  '{"__proto__":{"type":"invoke","id":1,"name":"app:info","input":{}}}',
  '{"constructor":{"prototype":{"ok":true}}}',
  `{"type":"invoke","id":1,"name":"labels:set","input":${JSON.stringify({ changes: [{ imageId: 1, label: 'red', value: 7 }] })}}`,
  '{"type":"invoke","id":1,"name":"labels:set","input":{"changes":"all"}}',
  '{"type":"invoke","id":1,"name":"project:open","input":{"file":{"toString":"x"}}}',
  '{"type":"invoke","id":1,"name":"split:set","input":{"imageIds":[1],"split":"__proto__"}}',
  '{"type":"invoke","id":1,"name":"app:info","input":null}',
  '{"type":"invoke","id":1,"name":"eval","input":{}}',
  `{"type":"invoke","id":1,"name":"app:info","input":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  `{"type":"invoke","id":1,"name":"project:open","input":{"file":"${'a'.repeat(100_000)}"}}`,
  '\u0000\u0001\u0002',
  '\ud800',
]

describe('the WebSocket survives malformed messages', () => {
  const temp = tempDir()
  let served: Served

  beforeAll(async () => {
    const project = await apparelProject(temp.dir, 2)
    served = await serve([project, '--ui', fakeUi(temp.dir)], join(temp.dir, 'config'))
  })
  afterAll(async () => {
    expect(served.child.exitCode).toBeNull()
    await served.stop()
    temp.remove()
  })

  it('answers each malformed message with a BAD_INPUT error and keeps serving', async () => {
    const client = await openSocket(served.port, { origin: served.origin, cookie: cookieFor(served) })
    const next = random(20260101)
    const cases = [...MALFORMED, ...Array.from({ length: 30 }, (_, i) => junk(next, 1 + i * 7))]
    for (const text of cases) {
      client.ws.send(text)
      const reply = await client.next()
      expect(reply, JSON.stringify(text.slice(0, 80))).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.any(String) } })
    }
    client.ws.send(Buffer.from([0xde, 0xad, 0xbe, 0xef]), { binary: true })
    expect(await client.next()).toMatchObject({ id: null, ok: false, error: { code: 'BAD_INPUT', message: expect.stringContaining('binary') } })
    // Still serving the same connection, and new ones.
    expect(await client.invoke('images:list', {})).toMatchObject({ ok: true, result: [{ id: 1 }, { id: 2 }] })
    await client.close()
    const fresh = await openSocket(served.port, { origin: served.origin, cookie: cookieFor(served) })
    expect(await fresh.invoke('app:info', {})).toMatchObject({ ok: true, result: { mode: 'web' } })
    await fresh.close()
  })
})
