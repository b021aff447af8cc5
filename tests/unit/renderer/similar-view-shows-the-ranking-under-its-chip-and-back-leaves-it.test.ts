import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Requests, RequestName, SimilarImages, TagsmithApi } from '../../../src-preload/contract.ts'
import { useActiveRunStore } from '../../../src-renderer/stores/active-run.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useSelectionStore } from '../../../src-renderer/stores/selection.ts'
import { SIMILAR_TOP, useSimilarStore } from '../../../src-renderer/stores/similar.ts'
import { useViewStore } from '../../../src-renderer/stores/view.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { PredictionsBridge } from './predictions-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

beforeEach(() => {
  const items = new Map<string, string>()
  vi.stubGlobal('localStorage', { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), removeItem: (k: string) => void items.delete(k) })
})
afterEach(() => vi.unstubAllGlobals())

/** Runs 2 and 3 stored; images:similar ranks 3, 1, 5, 2 for image 3 (image 4 has no features). */
class SimilarBridge extends PredictionsBridge {
  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name !== 'images:similar') return super.answer(name, input)
    const { imageId, runId } = input as Requests['images:similar']['in']
    if (imageId === 4) return Promise.reject({ code: 'NOT_FOUND', message: '4.jpg has no features for MobileNetV2: train or extract first' })
    const ranked = imageId === 3 ? [3, 1, 5, 2] : [imageId, 3]
    const answer: SimilarImages = {
      query: imageId,
      runId: runId ?? 3,
      featureKey: 'k',
      features: 'MobileNetV2',
      items: ranked.map((id, i) => ({ id, similarity: 1 - i / 10 })),
      missing: 1,
    }
    return Promise.resolve(answer as Requests[K]['out'])
  }
}

async function opened(): Promise<SimilarBridge> {
  const fake = new SimilarBridge()
  await openProject(fake, use)
  const active = useActiveRunStore()
  await vi.waitFor(() => expect(active.activeId).toBe(3))
  return fake
}

describe('the similar-images view', () => {
  it('shows the ranking (query first) under its chip, labels in bulk as usual, and Back or ✕ leave it', async () => {
    const fake = await opened()
    const filters = useFiltersStore()
    const selection = useSelectionStore()
    filters.cycleLabel('a')
    expect(filters.ids).toEqual([1, 3, 5])

    expect(await useSimilarStore().open(3)).toBe(true)
    expect(fake.callsOf('images:similar')).toEqual([{ imageId: 3, runId: 3, top: SIMILAR_TOP }])
    // Exactly the answer, in its order: the label filter before does not apply.
    expect(filters.ids).toEqual([3, 1, 5, 2])
    expect(filters.filter.similar).toMatchObject({ query: 3, name: '3.jpg', missing: 1, features: 'MobileNetV2' })
    expect(filters.similarity?.get(5)).toBeCloseTo(0.8)
    expect(filters.only).toBeNull()
    expect(filters.backTo).toBe('a')

    // Select everything shown and set c on it: one labels:set, the view keeps its images and order.
    selection.selectAll()
    expect(await useLabelsStore().setMany(selection.ids(), 'c', 1)).toBe(true)
    const sent = (fake.callsOf('labels:set').at(-1) as Requests['labels:set']['in']).changes
    // Image 1 has c already.
    expect([...sent].sort((x, y) => x.imageId - y.imageId)).toEqual([2, 3, 5].map((imageId) => ({ imageId, label: 'c', value: 1 })))
    expect(filters.ids).toEqual([3, 1, 5, 2])

    // A filter on top narrows the view and keeps the ranking.
    filters.setLabel('c', 'has')
    filters.setLabel('b', 'lacks')
    expect(filters.ids).toEqual([3, 1, 5])
    expect(filters.filter.similar?.query).toBe(3)

    // ✕ returns to the filter before the view; Back then returns to the view.
    filters.leaveSimilar()
    expect(filters.filter.similar).toBeUndefined()
    expect(filters.ids).toEqual([1, 3, 5])
    expect(filters.backTo).toBe('similar to 3.jpg')
    filters.back()
    expect(filters.ids).toEqual([3, 1, 5])
    filters.back()
    filters.back()
    expect(filters.ids).toEqual([3, 1, 5, 2])
    filters.back()
    expect(filters.filter.similar).toBeUndefined()
    expect(filters.filter.labels).toEqual({ a: 'has' })
  })

  it('from the editor, closes onto the view with the query selected; the pinned run is compared', async () => {
    const fake = await opened()
    useActiveRunStore().pin(2)
    const view = useViewStore()
    view.openEditor(1)
    expect(await useSimilarStore().open(1)).toBe(true)
    expect(fake.callsOf('images:similar')).toEqual([{ imageId: 1, runId: 2, top: SIMILAR_TOP }])
    expect(view.mode).toBe('grid')
    expect(view.lastOpened).toBe(1)
    expect(useFiltersStore().ids).toEqual([1, 3])
  })

  it('says why an image without features shows nothing, and leaves the filter as it was', async () => {
    await opened()
    const filters = useFiltersStore()
    filters.toggleSplit('val')
    const similar = useSimilarStore()
    expect(await similar.open(4)).toBe(false)
    expect(similar.error).toEqual({ code: 'NOT_FOUND', message: '4.jpg has no features for MobileNetV2: train or extract first' })
    expect(filters.filter.similar).toBeUndefined()
    expect(filters.ids).toEqual([1, 2, 3, 4])
    // The next answer that arrives clears it.
    expect(await similar.open(2)).toBe(true)
    expect(similar.error).toBeNull()
  })
})
