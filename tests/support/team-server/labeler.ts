// One team member at the team server: a WebSocket opened with their user token, label edits sent as
// labels:set invokes with the time each was sent and answered (the answer is the "saved"), and the
// times labels:changed events named each image.
import { WebSocket } from 'ws'

export interface CellEdit {
  imageId: number
  label: string
  value: 0 | 1
}

export interface SentEdit {
  user: string
  change: CellEdit
  /** performance.now() when sent. */
  sentAt: number
  /** When the reply came; unset while none did. */
  repliedAt?: number
  /** The edit log's group, for an acknowledged edit; 0 when the cell already held the value (no step). */
  group?: number
  /** The refusal, for an edit answered with an error. */
  error?: { code: string; message: string }
}

/** An invoke's answer as it comes over the socket. */
interface Reply {
  at: number
  ok: boolean
  result?: { group?: number }
  error?: { code: string; message: string }
}

export class Labeler {
  readonly edits: SentEdit[] = []
  /** labels:changed arrival times (performance.now()) by image id, in order. */
  readonly heard = new Map<number, number[]>()
  /** Invokes waiting for their answer; called with null when the socket closes first. */
  readonly #pending = new Map<number, (reply: Reply | null) => void>()
  #nextId = 1
  #closed = false

  private constructor(
    readonly user: string,
    readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => this.#receive(data.toString()))
    // A dropped connection settles every edit still waiting, unanswered.
    ws.on('close', () => {
      this.#closed = true
      const waiting = [...this.#pending.values()]
      this.#pending.clear()
      for (const settle of waiting) settle(null)
    })
    ws.on('error', () => undefined)
  }

  /** Connects as `user` and, when `listen`, subscribes to labels:changed before resolving. */
  static async open(port: number, user: string, token: string, listen = false): Promise<Labeler> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${encodeURIComponent(token)}`)
    await new Promise<void>((done, fail) => {
      ws.once('open', () => done())
      ws.once('unexpected-response', (_req, res) => fail(new Error(`${user}: the socket was refused (${res.statusCode})`)))
      ws.once('error', fail)
    })
    const labeler = new Labeler(user, ws)
    if (listen) ws.send(JSON.stringify({ type: 'subscribe', name: 'labels:changed' }))
    // Messages are handled in order: once this is answered, the subscription stands.
    await labeler.#ask('app:info', {})
    return labeler
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Edits still waiting for their answer. */
  get inFlight(): number {
    return this.#pending.size
  }

  /** Sends one cell edit; resolves when it is answered or the socket closes (then without an answer). */
  send(change: CellEdit): Promise<SentEdit> {
    const edit: SentEdit = { user: this.user, change, sentAt: performance.now() }
    // Not sent at all once the socket is gone, so not counted either.
    if (this.#closed || this.ws.readyState !== WebSocket.OPEN) {
      this.#closed = true
      return Promise.resolve(edit)
    }
    this.edits.push(edit)
    return new Promise((done) => {
      this.#invoke('labels:set', { changes: [change] }, (reply) => {
        if (reply) {
          edit.repliedAt = reply.at
          if (reply.ok) edit.group = reply.result?.group
          else edit.error = reply.error ?? { code: 'UNKNOWN', message: 'an error reply without an error' }
        }
        done(edit)
      })
    })
  }

  close(): Promise<void> {
    return new Promise((done) => {
      if (this.ws.readyState === WebSocket.CLOSED) return done()
      this.ws.once('close', () => done())
      this.ws.close()
    })
  }

  #invoke(name: string, input: unknown, settle: (reply: Reply | null) => void): void {
    const id = this.#nextId++
    this.#pending.set(id, settle)
    this.ws.send(JSON.stringify({ type: 'invoke', id, name, input }), (err) => {
      // Never sent (the socket went): settled as unanswered, unless the close did it already.
      if (err && this.#pending.delete(id)) settle(null)
    })
  }

  /** Resolves once the server answered `name`; fails on an error answer or a close. */
  #ask(name: string, input: unknown): Promise<void> {
    return new Promise((done, fail) =>
      this.#invoke(name, input, (reply) => (reply?.ok ? done() : fail(new Error(`${this.user}: ${name}: ${reply?.error?.message ?? 'the socket closed first'}`)))),
    )
  }

  #receive(text: string): void {
    const now = performance.now()
    const message = JSON.parse(text) as {
      type?: string
      name?: string
      payload?: { rows?: Array<{ id: number }> }
      id?: number | null
      ok?: boolean
      result?: { group?: number }
      error?: { code: string; message: string }
    }
    if (message.type === 'event') {
      if (message.name !== 'labels:changed') return
      for (const row of message.payload?.rows ?? []) {
        const times = this.heard.get(row.id)
        if (times) times.push(now)
        else this.heard.set(row.id, [now])
      }
      return
    }
    if (typeof message.id !== 'number') return
    const settle = this.#pending.get(message.id)
    if (!settle) return
    this.#pending.delete(message.id)
    settle({ at: now, ok: message.ok === true, ...(message.result ? { result: message.result } : {}), ...(message.error ? { error: message.error } : {}) })
  }
}
