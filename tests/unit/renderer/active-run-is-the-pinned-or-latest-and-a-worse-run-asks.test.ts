import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { RunSummary, TagsmithApi } from '../../../src-preload/contract.ts'
import { useActiveRunStore } from '../../../src-renderer/stores/active-run.ts'
import { useHealthStore } from '../../../src-renderer/stores/health.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useSuspectsQueueStore } from '../../../src-renderer/stores/suspects-queue.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { casePredictions, PredictionsBridge } from './predictions-fake.ts'
import { trainDone } from './train-done.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** The browser's localStorage, in memory: what a reload of the page still finds. */
class MemoryStorage {
  readonly items = new Map<string, string>()
  getItem(k: string): string | null {
    return this.items.get(k) ?? null
  }
  setItem(k: string, v: string): void {
    this.items.set(k, v)
  }
  removeItem(k: string): void {
    this.items.delete(k)
  }
}

let storage: MemoryStorage
beforeEach(() => {
  storage = new MemoryStorage()
  vi.stubGlobal('localStorage', storage)
})
afterEach(() => {
  vi.unstubAllGlobals()
})

/** The project open (runs 2 and 3, exact match 25 % and 50 %), the predictions store showing what is active. */
async function opened(fake = new PredictionsBridge()): Promise<{ fake: PredictionsBridge; active: ReturnType<typeof useActiveRunStore>; predictions: ReturnType<typeof usePredictionsStore> }> {
  // predict:get answers the run asked for (the latest when none is).
  const original = fake.invoke.bind(fake)
  fake.invoke = ((name, input) => {
    if (name === 'predict:get') fake.predictions = casePredictions((input as { runId?: number }).runId ?? Math.max(...fake.runList.map((r) => r.id)))
    return original(name, input)
  }) as typeof fake.invoke
  await openProject(fake, use)
  const predictions = usePredictionsStore()
  const active = useActiveRunStore()
  await vi.waitFor(() => expect(active.activeId).not.toBeNull())
  return { fake, active, predictions }
}

/** A finished run 4 with this validation exact match, as train:runs lists it afterwards. */
function finish(fake: PredictionsBridge, exactMatch: number, exactMatchGrouped?: number): void {
  const base = fake.runList[fake.runList.length - 1] as RunSummary
  const metrics = { ...base.metrics, exactMatch, ...(exactMatchGrouped === undefined ? {} : { exactMatchGrouped }) }
  fake.runList = [...fake.runList, { ...base, id: 4, metrics }]
  fake.emit('train:done', trainDone({ runId: 4, metrics: { ...metrics, perLabel: {} } }))
}

describe('the active run', () => {
  it('is the latest run by default, and every view asks for it', async () => {
    const { fake, active, predictions } = await opened()
    expect(active.activeId).toBe(3)
    expect(active.pinned).toBeNull()
    await vi.waitFor(() => expect(predictions.runId).toBe(3))
    void useSuspectsQueueStore().load()
    await vi.waitFor(() => expect(fake.callsOf('quality:suspects')).toEqual([{ runId: 3, limit: 500 }]))
    void useHealthStore().load()
    await vi.waitFor(() => expect(fake.callsOf('health:get')).toEqual([{ runId: 3 }]))
  })

  it('is the pinned run, kept per project across a reload, until unpinned', async () => {
    const { active, predictions } = await opened()
    active.pin(2)
    expect(active.activeId).toBe(2)
    await vi.waitFor(() => expect(predictions.runId).toBe(2))
    expect(storage.getItem('tagsmith.pinnedRun:p.tagsmith')).toBe('2')

    // A reload: a fresh app asks for the pinned run from the start.
    const again = await opened(new PredictionsBridge())
    expect(again.active.activeId).toBe(2)
    await vi.waitFor(() => expect(again.predictions.runId).toBe(2))
    expect(again.fake.callsOf('predict:get')).toEqual([{ runId: 2 }])
    void useSuspectsQueueStore().load()
    await vi.waitFor(() => expect(again.fake.callsOf('quality:suspects')).toEqual([{ runId: 2, limit: 500 }]))
    void useHealthStore().load()
    await vi.waitFor(() => expect(again.fake.callsOf('health:get')).toEqual([{ runId: 2 }]))

    again.active.unpin()
    expect(storage.getItem('tagsmith.pinnedRun:p.tagsmith')).toBeNull()
    await vi.waitFor(() => expect(again.predictions.runId).toBe(3))
  })

  it('a pinned run stays active when a newer run finishes, and nothing is asked', async () => {
    const { fake, active, predictions } = await opened()
    active.pin(2)
    await vi.waitFor(() => expect(predictions.runId).toBe(2))
    finish(fake, 0.9)
    await vi.waitFor(() => expect(active.latest).toBe(4))
    expect(active.activeId).toBe(2)
    expect(active.question).toBeNull()
    expect(predictions.runId).toBe(2)
  })

  it('a better finished run takes over at once', async () => {
    const { fake, active, predictions } = await opened()
    finish(fake, 0.75)
    await vi.waitFor(() => expect(predictions.runId).toBe(4))
    expect(active.activeId).toBe(4)
    expect(active.question).toBeNull()
  })

  it('a worse finished run asks first; the previous run stays active meanwhile; "use" makes it active', async () => {
    const { fake, active, predictions } = await opened()
    await vi.waitFor(() => expect(predictions.runId).toBe(3))
    finish(fake, 0.3)
    await vi.waitFor(() => expect(active.question).not.toBeNull())
    expect(active.question).toEqual({ newRun: 4, newExact: 0.3, activeRun: 3, activeExact: 0.5, grouped: false })
    expect(active.activeId).toBe(3)
    expect(predictions.runId).toBe(3)
    expect(fake.callsOf('predict:get')).not.toContainEqual({ runId: 4 })

    active.answer('new')
    expect(active.question).toBeNull()
    expect(active.activeId).toBe(4)
    expect(active.pinned).toBeNull()
    await vi.waitFor(() => expect(predictions.runId).toBe(4))
  })

  it('"keep" pins the previous run, so the next reload keeps it too', async () => {
    const { fake, active, predictions } = await opened()
    finish(fake, 0.3)
    await vi.waitFor(() => expect(active.question).not.toBeNull())
    active.answer('kept')
    expect(active.pinned).toBe(3)
    expect(active.activeId).toBe(3)
    expect(storage.getItem('tagsmith.pinnedRun:p.tagsmith')).toBe('3')
    expect(predictions.runId).toBe(3)
  })

  it('compares the grouped exact match while groups are decided by their most probable label', async () => {
    const fake = new PredictionsBridge()
    fake.runList = fake.runList.map((r) => ({ ...r, metrics: { ...r.metrics, exactMatchGrouped: r.metrics.exactMatch + 0.3 } }))
    const { active, predictions } = await opened(fake)
    // Worse by thresholds (0.45 < 0.5) but better grouped (0.9 > 0.8): no question while groups decide.
    finish(fake, 0.45, 0.9)
    await vi.waitFor(() => expect(predictions.runId).toBe(4))
    expect(active.question).toBeNull()
  })

  it("a project's first run becomes active when it finishes, after a load that found no run", async () => {
    const fake = new PredictionsBridge()
    fake.runList = []
    const original = fake.invoke.bind(fake)
    fake.invoke = ((name, input) =>
      name === 'predict:get' && fake.runList.length === 0 ? Promise.reject({ code: 'NOT_FOUND', message: 'no trained run yet' }) : original(name, input)) as typeof fake.invoke
    await openProject(fake, use)
    const predictions = usePredictionsStore()
    const active = useActiveRunStore()
    await vi.waitFor(() => expect(predictions.notice).toBe('no trained run yet'))
    expect(active.activeId).toBeNull()
    fake.runList = [{ ...(new PredictionsBridge().runList[1] as RunSummary), id: 1 }]
    fake.predictions = casePredictions(1)
    fake.emit('train:done', trainDone({ runId: 1 }))
    await vi.waitFor(() => expect(predictions.runId).toBe(1))
    expect(active.question).toBeNull()
  })

  it('forgets a pin whose run was deleted', async () => {
    const { fake, active } = await opened()
    active.pin(2)
    active.setRuns(fake.runList.filter((r) => r.id !== 2))
    expect(active.pinned).toBeNull()
    expect(active.activeId).toBe(3)
  })
})
