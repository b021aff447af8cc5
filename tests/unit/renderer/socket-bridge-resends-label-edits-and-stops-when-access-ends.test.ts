import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type LinkState, SocketBridge } from '../../../src-renderer/socket-bridge.ts'

/** Stands in for the browser's WebSocket: opens and closes when told to and keeps what was sent. */
class FakeSocket {
  static all: FakeSocket[] = []
  readonly sent: Array<{ type: string; id?: number; name?: string }> = []
  onopen: (() => void) | null = null
  onmessage: ((event: { data: unknown }) => void) | null = null
  onclose: ((event: { code: number; reason: string }) => void) | null = null

  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }

  send(text: string): void {
    this.sent.push(JSON.parse(text) as { type: string; id?: number; name?: string })
  }

  invokes(): Array<{ id: number; name: string }> {
    return this.sent.filter((m) => m.type === 'invoke') as Array<{ id: number; name: string }>
  }

  answer(id: number, result: unknown): void {
    this.onmessage?.({ data: JSON.stringify({ id, ok: true, result }) })
  }

  close(code: number, reason = ''): void {
    this.onclose?.({ code, reason })
  }
}

const latest = (): FakeSocket => {
  const socket = FakeSocket.all.at(-1)
  if (socket === undefined) throw new Error('no socket was opened')
  return socket
}

const EDIT = { changes: [{ imageId: 1, label: 'red', value: 1 as const }] }
const REASON = 'your user token no longer works here: the user was removed from this project, or another was opened'

/** A bridge whose first socket is open, and every link state it went through. */
function openBridge(): { bridge: SocketBridge; states: LinkState[] } {
  const bridge = new SocketBridge('ws://127.0.0.1:4000/ws')
  const states: LinkState[] = []
  bridge.link.watch((s) => states.push(s))
  latest().onopen?.()
  return { bridge, states }
}

beforeEach(() => {
  vi.useFakeTimers()
  vi.stubGlobal('WebSocket', FakeSocket)
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  FakeSocket.all = []
})

describe('the web bridge when its socket closes', () => {
  it('access ended (4401): every waiting invoke fails with the reason, later ones at once, and nothing reconnects', async () => {
    const { bridge, states } = openBridge()
    const sent = bridge.invoke('labels:set', EDIT)
    latest().close(4401, REASON)
    await expect(sent).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: `your access to this server ended: ${REASON}` })
    expect(states).toEqual([{ kind: 'open' }, { kind: 'ended', reason: REASON }])
    expect(bridge.link.state).toEqual({ kind: 'ended', reason: REASON })

    await expect(bridge.invoke('images:list', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.all).toHaveLength(1)
  })

  it("a first connection that never opens was refused: the page says the server refused its token, and stops", async () => {
    const bridge = new SocketBridge('ws://127.0.0.1:4000/ws')
    const queued = bridge.invoke('project:current', {})
    latest().close(1006)
    await expect(queued).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: "the server refused this page's token" })
    expect(bridge.link.state).toEqual({ kind: 'refused', reason: "the server refused this page's token" })
    await vi.advanceTimersByTimeAsync(60_000)
    expect(FakeSocket.all).toHaveLength(1)
  })

  it('a lost label edit is sent again once the socket reopens; other requests say the change may be lost', async () => {
    const { bridge, states } = openBridge()
    const edit = bridge.invoke('labels:set', EDIT)
    const split = bridge.invoke('split:set', { imageIds: [1], split: 'val' })
    const first = latest()
    expect(first.invokes().map((m) => m.name)).toEqual(['labels:set', 'split:set'])
    first.close(1006)
    await expect(split).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'the connection to Tagsmith was lost; check whether the change was saved' })
    expect(states.at(-1)).toEqual({ kind: 'reconnecting' })

    // Made while reconnecting: waits, and goes after the resent edit.
    const later = bridge.invoke('labels:history', {})
    await vi.advanceTimersByTimeAsync(250)
    const second = latest()
    expect(second).not.toBe(first)
    second.onopen?.()
    expect(states.at(-1)).toEqual({ kind: 'open' })
    const resent = second.invokes()
    expect(resent.map((m) => m.name)).toEqual(['labels:set', 'labels:history'])
    expect(resent[0]?.id).toBe(first.invokes()[0]?.id)

    second.answer(resent[0]?.id ?? -1, { group: 1, changes: [], rows: [], canUndo: true, canRedo: false })
    second.answer(resent[1]?.id ?? -1, { canUndo: true, canRedo: false })
    await expect(edit).resolves.toMatchObject({ group: 1 })
    await expect(later).resolves.toEqual({ canUndo: true, canRedo: false })
  })

  it('a label edit lost a second time, after its resend, is reported', async () => {
    const { bridge } = openBridge()
    const edit = bridge.invoke('labels:set', EDIT)
    latest().close(1006)
    await vi.advanceTimersByTimeAsync(250)
    latest().onopen?.()
    expect(latest().invokes().map((m) => m.name)).toEqual(['labels:set'])
    latest().close(1006)
    await expect(edit).rejects.toMatchObject({ code: 'UNAVAILABLE', message: 'the connection to Tagsmith was lost; check whether the change was saved' })
    // It keeps reconnecting for the rest.
    await vi.advanceTimersByTimeAsync(250)
    expect(FakeSocket.all).toHaveLength(3)
  })
})
