import { describe, expect, it, vi } from 'vitest'
import type { LabelChange, TagsmithApi } from '../../../src-preload/contract.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { usePredictionCellsStore } from '../../../src-renderer/stores/prediction-cells.ts'
import { usePredictionFiltersStore } from '../../../src-renderer/stores/prediction-filters.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { useSelectionStore } from '../../../src-renderer/stores/selection.ts'
import { useThresholdsStore } from '../../../src-renderer/stores/thresholds.ts'
import { useViewStore } from '../../../src-renderer/stores/view.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { GROUPS, PredictionsBridge } from './predictions-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** The project open with run 3's predictions, and the grid asking them (as the filter panel does in the app). */
async function loaded(fake: PredictionsBridge): Promise<ReturnType<typeof usePredictionsStore>> {
  await openProject(fake, use)
  const predictions = usePredictionsStore()
  usePredictionFiltersStore()
  await vi.waitFor(() => expect(predictions.runId).toBe(3))
  return predictions
}

const setCalls = (fake: FakeBridge): LabelChange[][] => fake.callsOf('labels:set').map((i) => (i as { changes: LabelChange[] }).changes)

describe('predictions in the grid', () => {
  it('filters images that disagree, are uncertain, or are confidently wrong, and follows the slider', async () => {
    await loaded(new PredictionsBridge())
    const grid = usePredictionFiltersStore()
    const thresholds = useThresholdsStore()
    const filters = useFiltersStore()
    grid.setFilter('disagrees')
    expect(filters.ids).toEqual([2, 3, 4])
    expect(filters.active).toBe(true)
    grid.setFilter('uncertain')
    // Image 3: b at 0.45 and c at 0.55 sit within 0.1 of 0.5.
    expect(filters.ids).toEqual([3])
    grid.setFilter('confident-wrong')
    // Image 4: b is labelled but has p 0.05.
    expect(filters.ids).toEqual([4])

    grid.setFilter('disagrees')
    thresholds.setGlobal(0.95)
    // At 0.95 only labelled cells below it disagree: every image with a label set.
    expect(filters.ids).toEqual([1, 2, 3, 4, 5])
    thresholds.setGlobal(0.5)
    // Other filters still combine with it.
    filters.setSearch('3.jpg')
    expect(filters.ids).toEqual([3])
    grid.setFilter(null)
    expect(filters.ids).toEqual([3])
  })

  it('a prediction filter without predictions shows nothing', async () => {
    const fake = new PredictionsBridge()
    await openProject(fake, use)
    const filters = useFiltersStore()
    filters.setPrediction('disagrees')
    expect(filters.ids).toEqual([])
  })

  it('orders the grid by confidence: the decision closest to its threshold first, or last', async () => {
    await loaded(new PredictionsBridge())
    const filters = useFiltersStore()
    // Smallest margins: image 3 0.05, 2 0.12, 1 0.2, 4 0.2, 5 0.3.
    filters.setOrder('least-confident')
    expect(filters.ids).toEqual([3, 2, 1, 4, 5])
    filters.setOrder('most-confident')
    expect(filters.ids).toEqual([5, 1, 4, 2, 3])
    useThresholdsStore().setGlobal(0.45)
    expect(filters.ids[filters.ids.length - 1]).toBe(3)
    filters.setOrder('project')
    expect(filters.ids).toEqual([1, 2, 3, 4, 5])
  })

  it('accepts one label, one image, or the selection, each as one labels:set call that undo reverts', async () => {
    const fake = new PredictionsBridge()
    const p = await loaded(fake)
    const perImage = usePredictionCellsStore()
    const images = useImagesStore()
    const a = (id: number): unknown => images.row(id)?.labels[0]

    // Image 2: a is predicted (0.62) but not labelled.
    expect(await perImage.acceptLabel(2, 'a')).toBe(true)
    expect(setCalls(fake)).toEqual([[{ imageId: 2, label: 'a', value: 1 }]])
    expect(a(2)).toBe(1)
    expect(perImage.cells(2)?.[0]?.status).toBe('agree')

    // Image 4: b labelled but not predicted; c empty but predicted: both in one call.
    expect(perImage.acceptCount([4])).toBe(2)
    await perImage.acceptImages([4])
    expect(setCalls(fake)[1]).toEqual([
      { imageId: 4, label: 'b', value: 0 },
      { imageId: 4, label: 'c', value: 1 },
    ])

    const selection = useSelectionStore()
    selection.selectAll()
    await perImage.acceptImages(selection.ids())
    const calls = setCalls(fake)
    expect(calls).toHaveLength(3)
    expect(calls[2]).toEqual([
      { imageId: 3, label: 'a', value: 0 },
      { imageId: 3, label: 'c', value: 1 },
    ])
    expect(p.evaluation?.disagreeing).toBe(0)

    await useLabelsStore().undo()
    expect(fake.value(3, 'a')).toBe(1)
    expect(fake.value(3, 'c')).toBe(0)
    expect(fake.value(4, 'c')).toBe(1)
    expect(p.evaluation?.disagreeing).toBe(1)
  })

  it('accepting a label of a group sets it and clears its siblings in the same step', async () => {
    const fake = new PredictionsBridge(undefined, GROUPS)
    await loaded(fake)
    const perImage = usePredictionCellsStore()
    // Groups decide: image 3's group picks b (0.45 > 0.4) though a is labelled.
    expect(perImage.cells(3)?.slice(0, 2).map((c) => [c.decision, c.byGroup])).toEqual([
      [0, true],
      [1, true],
    ])
    await perImage.acceptLabel(3, 'b')
    expect(setCalls(fake)).toEqual([
      [
        { imageId: 3, label: 'b', value: 1 },
        { imageId: 3, label: 'a', value: 0 },
      ],
    ])
  })

  it('clicking a false-negative count shows exactly those images in the grid', async () => {
    const p = await loaded(new PredictionsBridge())
    const grid = usePredictionFiltersStore()
    const filters = useFiltersStore()
    const view = useViewStore()
    filters.setSearch('zzz')
    view.openEditor(1)
    const fn = p.metrics?.perLabel.find((l) => l.label === 'a')?.fn
    expect(fn).toBe(1)
    expect(grid.showErrors('a', 'fn')).toEqual([3])
    expect(filters.ids).toEqual([3])
    expect(filters.ids).toHaveLength(fn ?? -1)
    expect(filters.filter.idsNote).toBe('false negatives of a · val')
    // The rest of the filter is cleared and the grid is shown.
    expect(filters.filter.search).toBe('')
    expect(view.mode).toBe('grid')

    useThresholdsStore().setGlobal(0.3)
    const fp = p.metrics?.perLabel.find((l) => l.label === 'b')?.fp ?? -1
    grid.showErrors('b', 'fp')
    expect(filters.ids).toEqual([3])
    expect(filters.ids).toHaveLength(fp)
    filters.clearIds()
    expect(filters.ids).toEqual([1, 2, 3, 4, 5])
    expect(filters.active).toBe(false)
  })

  it('the out-of-fold split counts the training image only', async () => {
    const p = await loaded(new PredictionsBridge())
    const grid = usePredictionFiltersStore()
    p.setSplit('oof')
    expect(p.metrics?.n).toBe(1)
    expect(p.metrics?.exactMatch).toBe(1)
    expect(grid.showErrors('a', 'fn')).toEqual([])
    expect(useFiltersStore().ids).toEqual([])
  })

  it('groups declared in the project decide by argmax; exact match shows with and without them', async () => {
    const p = await loaded(new PredictionsBridge())
    expect(p.hasGroups).toBe(false)
    expect(p.metrics?.exactMatchGrouped).toBeNull()
    await useProjectStore().setGroups(GROUPS)
    expect(p.hasGroups).toBe(true)
    expect(p.metrics?.exactMatch).toBe(0.25)
    expect(p.metrics?.exactMatchGrouped).toBe(0.5)
    // Per-label counts follow the decisions shown; switching decoding off goes back to thresholds.
    expect(p.metrics?.perLabel.map((l) => l.fp)).toEqual([1, 1, 1])
    p.setDecodeGroups(false)
    expect(p.metrics?.perLabel.map((l) => l.fp)).toEqual([1, 0, 1])
    expect(p.metrics?.exactMatchGrouped).toBe(0.5)
  })
})
