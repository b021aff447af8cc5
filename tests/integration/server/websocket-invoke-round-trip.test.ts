import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EditResult, ImageRow, ProjectInfo, ServerMessage } from '../../../src-preload/contract.ts'
import { apparelProject, cookieFor, fakeUi, openSocket, serve, tempDir, type Served, type SocketClient } from './helpers.ts'

function resultOf<T>(message: ServerMessage): T {
  if (!('ok' in message) || !message.ok) throw new Error(`expected a result, got ${JSON.stringify(message)}`)
  return message.result as T
}

describe('the contract over a real WebSocket', () => {
  const temp = tempDir()
  let served: Served
  let project: string
  const open = (): Promise<SocketClient> => openSocket(served.port, { origin: served.origin, cookie: cookieFor(served) })

  beforeAll(async () => {
    project = await apparelProject(temp.dir, 8)
    served = await serve([project, '--ui', fakeUi(temp.dir)], join(temp.dir, 'config'))
  })
  afterAll(async () => {
    await served.stop()
    temp.remove()
  })

  it('answers invokes with their id, and edits reach other subscribed clients', async () => {
    const editor = await open()
    const watcher = await open()
    watcher.ws.send(JSON.stringify({ type: 'subscribe', name: 'labels:changed' }))
    editor.ws.send(JSON.stringify({ type: 'subscribe', name: 'labels:changed' }))

    const info = resultOf<ProjectInfo>(await editor.invoke('project:current', {}))
    expect(info).toMatchObject({ file: project, imageCount: 8 })
    const rows = resultOf<ImageRow[]>(await editor.invoke('images:list', {}))
    expect(rows.map((row) => row.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])

    const red = info.labels.indexOf('red')
    const value = rows[4]?.labels[red] === 1 ? 0 : 1
    const changed = watcher.next((m) => 'type' in m && m.type === 'event')
    const edit = resultOf<EditResult>(await editor.invoke('labels:set', { changes: [{ imageId: 5, label: 'red', value }] }))
    expect(edit.rows[0]?.labels[red]).toBe(value)
    expect(await changed).toEqual({ type: 'event', name: 'labels:changed', payload: { rows: edit.rows } })

    const undone = resultOf<EditResult>(await editor.invoke('labels:undo', {}))
    expect(undone.rows[0]?.labels[red]).toBe(rows[4]?.labels[red])
    // The editor got replies only: its own edits are not echoed back as events.
    const echo = await Promise.race([editor.next((m) => 'type' in m), editor.invoke('app:info', {}).then(() => 'none')])
    expect(echo).toBe('none')
    await Promise.all([editor.close(), watcher.close()])
  })

  it('keeps several invokes in flight and pairs each reply with its id', async () => {
    const client = await open()
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client.invoke(i % 2 ? 'app:info' : 'project:recent', {})))
    expect(replies.every((reply) => 'ok' in reply && reply.ok)).toBe(true)
    expect(replies.map((reply) => ('id' in reply ? reply.id : null))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    await client.close()
  })

  it('reports errors as { code, message } replies', async () => {
    const client = await open()
    expect(await client.invoke('project:open', { file: join(temp.dir, 'missing.tagsmith') })).toEqual({
      id: 1,
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringContaining('missing.tagsmith') },
    })
    expect(await client.invoke('dialog:openCsv', {})).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } })
    await client.close()
  })
})
