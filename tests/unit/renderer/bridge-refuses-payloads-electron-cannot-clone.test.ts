import { afterEach, describe, expect, it, vi } from 'vitest'
import { reactive, ref } from 'vue'
import type { RequestName, TagsmithApi } from '../../../src-preload/contract.ts'

/** Stands in for the browser's WebSocket: opens when told to and keeps what was sent. */
class FakeSocket {
  static last: FakeSocket | null = null
  readonly sent: string[] = []
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: (() => void) | null = null

  constructor(readonly url: string) {
    FakeSocket.last = this
  }

  send(text: string): void {
    this.sent.push(text)
  }
}

/** A fresh bridge module (it keeps the bridge it made), built for the window stubbed beforehand. */
async function freshBridge(): Promise<TagsmithApi> {
  vi.resetModules()
  const { getBridge } = await import('../../../src-renderer/bridge.ts')
  return getBridge()
}

// As GroupsDialog saves its draft: a ref's arrays, filtered, so every group is a Vue proxy.
const dialogGroups = (): string[][] => ref([['red', 'blue'], ['dress', 'shirt']]).value.filter((g) => g.length > 0)

const refusedNaming = (name: RequestName) => ({
  code: 'BAD_INPUT',
  message: expect.stringMatching(new RegExp(`^${name}: the request could not be sent: An object could not be cloned`)),
})

afterEach(() => {
  vi.unstubAllGlobals()
  FakeSocket.last = null
})

describe('the bridge refuses a payload Electron cannot clone', () => {
  it('in web mode, before anything is sent over the socket', async () => {
    vi.stubGlobal('window', { location: { protocol: 'http:', host: '127.0.0.1:4000' } })
    vi.stubGlobal('WebSocket', FakeSocket)
    const bridge = await freshBridge()
    const socket = FakeSocket.last
    if (socket === null) throw new Error('no socket was opened')
    socket.onopen?.()

    const groups = bridge.invoke('groups:set', { groups: dialogGroups() })
    const health = bridge.invoke('health:get', reactive({ similarity: 0.9 }))
    expect(socket.sent).toEqual([])
    await expect(groups).rejects.toMatchObject(refusedNaming('groups:set'))
    await expect(health).rejects.toMatchObject(refusedNaming('health:get'))

    // A plain payload still goes out as it is.
    void bridge.invoke('groups:set', { groups: [['red', 'blue']] })
    expect(socket.sent.map((t) => JSON.parse(t) as unknown)).toEqual([
      { type: 'invoke', id: 1, name: 'groups:set', input: { groups: [['red', 'blue']] } },
    ])
  })

  it('in the desktop app, before the preload is asked', async () => {
    const invoke = vi.fn((_name: RequestName, _input: unknown) => Promise.resolve(null))
    vi.stubGlobal('window', { tagsmith: { invoke, on: () => () => {}, imageUrl: () => '', pathForFile: () => null } })
    const bridge = await freshBridge()

    await expect(bridge.invoke('groups:set', { groups: dialogGroups() })).rejects.toMatchObject(refusedNaming('groups:set'))
    await expect(bridge.invoke('labels:set', reactive({ changes: [] }))).rejects.toMatchObject(refusedNaming('labels:set'))
    expect(invoke).not.toHaveBeenCalled()

    const input = { groups: [['red', 'blue']] }
    await bridge.invoke('groups:set', input)
    expect(invoke).toHaveBeenCalledTimes(1)
    expect(invoke.mock.calls[0]?.[1]).toBe(input)
  })
})
