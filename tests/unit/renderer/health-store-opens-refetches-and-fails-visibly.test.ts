import { describe, expect, it, vi } from 'vitest'
import type {
  DatasetHealth,
  RequestName,
  Requests,
  TagsmithApi,
} from '../../../src-preload/contract.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useDockStore } from '../../../src-renderer/stores/dock.ts'
import { AUTO_REFRESH_MS, useHealthStore } from '../../../src-renderer/stores/health.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useTrainingStore } from '../../../src-renderer/stores/training.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { trainDone } from './train-done.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const zeros = (): number[] => APPAREL.map(() => 0)

/** A report as the service would give it for the sample rows (the numbers the panel takes from it). */
function report(threshold: number): DatasetHealth {
  return {
    labels: APPAREL,
    perSplit: {
      train: { images: 4, positives: zeros(), emptyCells: 0 },
      val: { images: 2, positives: zeros(), emptyCells: 0 },
      test: { images: 0, positives: zeros(), emptyCells: 0 },
    },
    rare: [{ label: 'green', positives: 0, share: 0, posWeight: 4, reason: 'no positives in train' }],
    cooccurrence: APPAREL.map(() => zeros()),
    groupViolations: [{ group: ['black', 'blue', 'brown', 'green', 'red', 'white'], imageIds: [6] }],
    flagged: { missing: [], corrupt: [], outside: [5] },
    nearDuplicates: {
      threshold,
      backbone: 'nsfwjs-mobilenetv2',
      withoutFeatures: 1,
      pairs: [
        { a: 1, b: 3, similarity: 0.99, crossSplit: false },
        { a: 1, b: 6, similarity: 0.96, crossSplit: true },
      ],
    },
  }
}

/** The review fake answering health:get; answers may be held to observe loading and ordering. */
class HealthBridge extends FakeBridge {
  fail: { code: string; message: string } | null = null
  hold = false
  private waiting: Array<() => void> = []

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name !== 'health:get') return super.answer(name, input)
    const { similarity } = input as Requests['health:get']['in']
    const answer = (): Promise<DatasetHealth> =>
      this.fail ? Promise.reject(this.fail) : Promise.resolve(report(similarity ?? 0.95))
    if (!this.hold) return answer() as Promise<Requests[K]['out']>
    return new Promise((resolve, reject) =>
      this.waiting.push(() => void answer().then(resolve as (v: DatasetHealth) => void, reject)),
    ) as Promise<Requests[K]['out']>
  }

  /** Answers the oldest (or the newest) held request. */
  next(newest = false): void {
    ;(newest ? this.waiting.pop() : this.waiting.shift())?.()
  }
}

async function opened(fake: HealthBridge): Promise<ReturnType<typeof useHealthStore>> {
  await openProject(fake, use)
  const health = useHealthStore()
  health.openPanel()
  await vi.waitFor(() => expect(health.loading).toBe(false))
  return health
}

describe('health store', () => {
  it('opening closes the Train and Predictions panels and asks for the report; toggling closes only what shows', async () => {
    const fake = new HealthBridge(sampleRows())
    await openProject(fake, use)
    const training = useTrainingStore()
    const predictions = usePredictionsStore()
    predictions.openPanel()
    training.openPanel()
    const health = useHealthStore()
    const dock = useDockStore()
    health.togglePanel()
    expect(dock.panel).toBe('health')
    await vi.waitFor(() => expect(health.health?.nearDuplicates.threshold).toBe(0.95))
    expect(fake.callsOf('health:get')).toEqual([{}])
    // The Train panel opened over it: the button brings the health panel back rather than closing it.
    training.openPanel()
    health.togglePanel()
    expect(dock.panel).toBe('health')
    health.togglePanel()
    expect(dock.panel).toBeNull()
  })

  it('label counts and co-occurrence cells show exactly their images in the grid', async () => {
    const health = await opened(new HealthBridge(sampleRows()))
    const filters = useFiltersStore()
    // red: rows 1 and 3 in train, 6 in val
    expect(health.counts.train.positives[APPAREL.indexOf('red')]).toBe(2)
    expect(health.showPositives('red', 'train')).toEqual([1, 3])
    expect(filters.ids).toEqual([1, 3])
    expect(health.showPositives('red', 'all')).toEqual([1, 3, 6])
    expect(filters.ids).toEqual([1, 3, 6])
    expect(health.matrix[APPAREL.indexOf('red')]?.[APPAREL.indexOf('dress')]).toBe(2)
    health.showCooccurrence('red', 'dress')
    expect(filters.ids).toEqual([1, 6])
    health.showSplit('val')
    expect(filters.ids).toEqual([2, 6])
    expect(filters.filter.idsNote).toBe('images · val')
    // The report's ids: violations, flagged, pairs (cross-split ones first).
    health.showViolations(0)
    expect(filters.ids).toEqual([6])
    health.showFlagged('outside')
    expect(filters.ids).toEqual([5])
    expect(health.pairs.map((p) => p.crossSplit)).toEqual([true, false])
    health.showPairs(true)
    expect(filters.ids).toEqual([1, 6])
    health.showPair({ a: 1, b: 3, similarity: 0.99, crossSplit: false })
    expect(filters.ids).toEqual([1, 3])
  })

  it('counts follow an edit at once and the report is marked stale until refreshed', async () => {
    const fake = new HealthBridge(sampleRows())
    const health = await opened(fake)
    expect(health.stale).toBe(false)
    await useLabelsStore().setMany([2], 'red', 1)
    await vi.waitFor(() => expect(health.counts.val.positives[APPAREL.indexOf('red')]).toBe(2))
    expect(health.stale).toBe(true)
    expect(health.showPositives('red', 'val')).toEqual([2, 6])
    await health.load()
    expect(health.stale).toBe(false)
    expect(fake.callsOf('health:get')).toHaveLength(2)
  })

  it('a new similarity threshold asks again with it; a bad one is refused without asking', async () => {
    const fake = new HealthBridge(sampleRows())
    const health = await opened(fake)
    expect(health.setSimilarity('0.95')).toBeNull() // what the report already used: nothing to ask
    expect(health.setSimilarity('1.2')).toMatch(/outside/)
    expect(health.setSimilarity('near')).toMatch(/not a number/)
    expect(fake.callsOf('health:get')).toHaveLength(1)
    expect(health.setSimilarity('0.9')).toBeNull()
    await vi.waitFor(() => expect(health.health?.nearDuplicates.threshold).toBe(0.9))
    expect(fake.callsOf('health:get')).toEqual([{}, { similarity: 0.9 }])
    // Refresh keeps the chosen threshold.
    await health.load()
    expect(fake.callsOf('health:get').at(-1)).toEqual({ similarity: 0.9 })
  })

  it('a slow earlier answer does not replace a later one', async () => {
    const fake = new HealthBridge(sampleRows())
    const health = await opened(fake)
    fake.hold = true
    health.setSimilarity('0.8')
    health.setSimilarity('0.97')
    expect(health.loading).toBe(true)
    fake.next(true) // the 0.97 answer arrives first
    await vi.waitFor(() => expect(health.loading).toBe(false))
    expect(health.health?.nearDuplicates.threshold).toBe(0.97)
    fake.next() // then the superseded 0.8 one
    await new Promise((resolve) => setTimeout(resolve, 0)) // one task: every promise callback of that answer has run
    expect(health.health?.nearDuplicates.threshold).toBe(0.97)
    expect(health.loading).toBe(false)
  })

  it('a failed request shows the service error, stops loading and can be dismissed', async () => {
    const fake = new HealthBridge(sampleRows())
    fake.fail = { code: 'UNAVAILABLE', message: 'no project is open' }
    const health = await opened(fake)
    expect(health.error).toEqual({ code: 'UNAVAILABLE', message: 'no project is open' })
    expect(health.health).toBeNull()
    health.dismissError()
    expect(health.error).toBeNull()
    fake.fail = null
    await health.load()
    expect(health.error).toBeNull()
    expect(health.health?.flagged.outside).toEqual([5])
  })

  it('shows the search progress while it runs, cancels it by its job id, and asks again after a new run', async () => {
    const fake = new HealthBridge(sampleRows())
    const health = await opened(fake)
    fake.hold = true
    void health.load()
    fake.emit('job:progress', {
      jobId: 'train-9',
      kind: 'train',
      phase: 'extract',
      done: 1,
      total: 4,
      rate: 1,
      etaSeconds: 3,
    })
    expect(health.progress).toBeNull()
    fake.emit('job:progress', {
      jobId: 'health-2',
      kind: 'health',
      phase: 'near-duplicates',
      done: 3,
      total: 8,
      rate: 2,
      etaSeconds: 2,
    })
    expect(health.progress).toMatchObject({ jobId: 'health-2', done: 3, total: 8 })
    health.cancel()
    await vi.waitFor(() => expect(fake.callsOf('job:cancel')).toEqual([{ jobId: 'health-2' }]))
    fake.next()
    await vi.waitFor(() => expect(health.loading).toBe(false))
    expect(health.progress).toBeNull()
    fake.hold = false
    const asked = fake.callsOf('health:get').length
    fake.emit('train:done', trainDone({ project: 'other.tagsmith' }))
    expect(fake.callsOf('health:get')).toHaveLength(asked)
    fake.emit('train:done', trainDone())
    expect(fake.callsOf('health:get')).toHaveLength(asked + 1)
  })

  it('declaring groups asks again, since the violations depend on them', async () => {
    const fake = new HealthBridge(sampleRows())
    const health = await opened(fake)
    await useProjectStore().setGroups([['black', 'blue', 'brown', 'green', 'red', 'white']])
    await vi.waitFor(() => expect(fake.callsOf('health:get')).toHaveLength(2))
    health.closePanel()
    await useProjectStore().setGroups([])
    expect(health.health).toBeNull()
  })

  it('edits ask for the report again once they rest, only while the panel is open', async () => {
    const fake = new HealthBridge(sampleRows())
    const health = await opened(fake)
    const labels = useLabelsStore()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      await labels.setMany([2], 'red', 1)
      vi.advanceTimersByTime(AUTO_REFRESH_MS - 1)
      await labels.setMany([3], 'blue', 1)
      vi.advanceTimersByTime(AUTO_REFRESH_MS - 1)
      expect(fake.callsOf('health:get')).toHaveLength(1)
      expect(health.stale).toBe(true)
      vi.advanceTimersByTime(1)
      expect(fake.callsOf('health:get')).toHaveLength(2)
      await vi.waitFor(() => expect(health.stale).toBe(false))
      health.closePanel()
      await labels.setMany([4], 'green', 1)
      vi.advanceTimersByTime(AUTO_REFRESH_MS * 2)
      expect(fake.callsOf('health:get')).toHaveLength(2)
      expect(health.stale).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })

  it('another panel docking in its place stops the refresh an edit started', async () => {
    const fake = new HealthBridge(sampleRows())
    const health = await opened(fake)
    const labels = useLabelsStore()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      await labels.setMany([2], 'red', 1)
      useTrainingStore().openPanel()
      vi.advanceTimersByTime(AUTO_REFRESH_MS * 2)
      expect(fake.callsOf('health:get')).toHaveLength(1)
      expect(health.stale).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
