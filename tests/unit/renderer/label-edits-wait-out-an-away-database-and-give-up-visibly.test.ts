import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RequestName, Requests, TagsmithApi } from '../../../src-preload/contract.ts'
import type { Link, LinkState } from '../../../src-renderer/bridge.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const SHOES = APPAREL.indexOf('shoes')
const BLUE = APPAREL.indexOf('blue')
const AWAY = { code: 'UNAVAILABLE', message: 'the team database at db.example.com:5432 is unreachable (connection refused)' }

/** A service whose database is away for the next `failures` label edits (or split moves), and a link that can drop. */
class AwayDatabase extends FakeBridge {
  failures = 0
  refusal: { code: string; message: string } | null = null
  readonly watchers = new Set<(s: LinkState) => void>()
  readonly link: Link = {
    get state() {
      return { kind: 'open' } as LinkState
    },
    watch: (listener) => {
      this.watchers.add(listener)
      return () => void this.watchers.delete(listener)
    },
  }

  setLink(state: LinkState): void {
    for (const w of this.watchers) w(state)
  }

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name === 'labels:set' || name === 'split:set') {
      if (this.refusal !== null) return Promise.reject(this.refusal)
      if (this.failures > 0) {
        this.failures--
        return Promise.reject(AWAY)
      }
    }
    return super.answer(name, input)
  }
}

async function opened(): Promise<{ fake: AwayDatabase; labels: ReturnType<typeof useLabelsStore> }> {
  const fake = new AwayDatabase(sampleRows())
  await openProject(fake, use)
  vi.useFakeTimers()
  return { fake, labels: useLabelsStore() }
}

afterEach(() => void vi.useRealTimers())

describe('label edits while the database is away', () => {
  it('keep the edit, say they are reconnecting, retry after 0.5 s, 1 s, … in order, then show Saved', async () => {
    const { fake, labels } = await opened()
    const images = useImagesStore()
    fake.failures = 3
    const on = labels.toggle(1, 'shoes')
    await vi.advanceTimersByTimeAsync(0)
    expect(labels.saveState).toBe('reconnecting')
    expect(labels.reconnecting).toBe('database')
    expect(labels.databaseAway).toEqual(AWAY)
    expect(images.row(1)?.labels[SHOES]).toBe(1)

    // Made while the first waits: it queues behind it instead of overtaking it.
    const off = labels.toggle(1, 'shoes')
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.callsOf('labels:set')).toHaveLength(1)

    await vi.advanceTimersByTimeAsync(499)
    expect(fake.callsOf('labels:set')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(fake.callsOf('labels:set')).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(fake.callsOf('labels:set')).toHaveLength(3)
    expect(labels.saveState).toBe('reconnecting')
    await vi.advanceTimersByTimeAsync(2000)

    expect(await on).toBe(true)
    expect(await off).toBe(true)
    expect(fake.callsOf('labels:set').map((c) => (c as { changes: Array<{ value: number }> }).changes[0]?.value)).toEqual([1, 1, 1, 1, 0])
    expect(fake.value(1, 'shoes')).toBe(0)
    expect(labels.saveState).toBe('saved')
    expect(labels.databaseAway).toBeNull()
    expect(labels.error).toBeNull()
  })

  it('give up after about 30 s with an error naming the failure, and show the rows as stored', async () => {
    const { fake, labels } = await opened()
    const images = useImagesStore()
    fake.failures = Number.POSITIVE_INFINITY
    const edit = labels.toggle(1, 'shoes')
    // Someone else's edit reached the store meanwhile: the grid must end up showing it.
    fake.rows = fake.rows.map((r) => (r.id === 1 ? { ...r, labels: r.labels.map((v, i) => (i === BLUE ? 1 : v)) } : r))
    await vi.advanceTimersByTimeAsync(29_000)
    expect(labels.saveState).toBe('reconnecting')
    expect(images.row(1)?.labels[SHOES]).toBe(1)

    await vi.advanceTimersByTimeAsync(1_000)
    expect(await edit).toBe(false)
    expect(fake.callsOf('labels:set')).toHaveLength(7)
    expect(labels.saveState).toBe('error')
    expect(labels.error).toEqual({ code: 'UNAVAILABLE', message: `gave up after retrying for 30 s: ${AWAY.message}` })
    expect(images.row(1)?.labels[SHOES]).toBe(0)
    expect(images.row(1)?.labels[BLUE]).toBe(1)

    // The next edit tries at once again.
    fake.failures = 0
    expect(await labels.toggle(2, 'shoes')).toBe(true)
    expect(labels.saveState).toBe('saved')
  })

  it('a refusal (BAD_INPUT, CONFLICT) is not retried', async () => {
    const { fake, labels } = await opened()
    for (const code of ['BAD_INPUT', 'CONFLICT']) {
      fake.refusal = { code, message: `refused: ${code}` }
      expect(await labels.setSplit([1], 'test')).toBe(false)
      await vi.advanceTimersByTimeAsync(30_000)
      expect(labels.saveState).toBe('error')
      expect(labels.error?.code).toBe(code)
    }
    expect(fake.callsOf('split:set')).toHaveLength(2)
  })

  it('while the link to the server reconnects the indicator says so instead of Saved', async () => {
    const { fake, labels } = await opened()
    expect(await labels.toggle(1, 'shoes')).toBe(true)
    expect(labels.saveState).toBe('saved')
    fake.setLink({ kind: 'reconnecting' })
    expect(labels.saveState).toBe('reconnecting')
    expect(labels.reconnecting).toBe('server')
    fake.setLink({ kind: 'open' })
    expect(labels.saveState).toBe('saved')
  })

  it('reads the rows again once the link is back, so edits made elsewhere meanwhile show', async () => {
    const { fake } = await opened()
    const images = useImagesStore()
    const lists = fake.callsOf('images:list').length
    fake.setLink({ kind: 'reconnecting' })
    // Someone else's edit while the link is down: its event never reaches this page.
    const row = fake.rows[1] as (typeof fake.rows)[number]
    const unset = row.labels.indexOf(0)
    fake.rows[1] = { ...row, labels: row.labels.map((v, i) => (i === unset ? 1 : v)), edited: true }
    expect(images.row(2)?.labels[unset]).toBe(0)
    fake.setLink({ kind: 'open' })
    await vi.advanceTimersByTimeAsync(0)
    expect(fake.callsOf('images:list')).toHaveLength(lists + 1)
    expect(images.row(2)?.labels[unset]).toBe(1)
  })
})
