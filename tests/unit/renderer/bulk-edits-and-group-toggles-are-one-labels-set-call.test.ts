import { describe, expect, it, vi } from 'vitest'
import type { LabelChange, TagsmithApi } from '../../../src-preload/contract.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { useSelectionStore } from '../../../src-renderer/stores/selection.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const setCalls = (fake: FakeBridge): LabelChange[][] =>
  fake.callsOf('labels:set').map((i) => (i as { changes: LabelChange[] }).changes)

describe('bulk edits and label groups', () => {
  it('sets a label on every selected image in one labels:set call, skipping cells already set', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const sel = useSelectionStore()
    const labels = useLabelsStore()
    sel.selectAll()
    expect(await labels.setMany(sel.ids(), 'shoes', 1)).toBe(true)
    const calls = setCalls(fake)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.map((c) => c.imageId).sort()).toEqual([1, 2, 4, 5, 6])
    for (let id = 1; id <= 6; id++) expect(useImagesStore().row(id)?.labels[APPAREL.indexOf('shoes')]).toBe(1)

    // One undo reverts the whole bulk edit.
    await labels.undo()
    expect(fake.value(1, 'shoes')).toBe(0)
    expect(fake.value(3, 'shoes')).toBe(1)
  })

  it('clears a label on the selection in one call', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    await useLabelsStore().setMany([1, 3, 6], 'red', 0)
    expect(setCalls(fake)).toHaveLength(1)
    expect([1, 3, 6].map((id) => fake.value(id, 'red'))).toEqual([0, 0, 0])
  })

  it('turning on a label of a group clears the others of that group in the same call', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const project = useProjectStore()
    await project.setGroups([APPAREL.slice(0, 6), APPAREL.slice(6)])

    const labels = useLabelsStore()
    await labels.toggle(1, 'green') // image 1 is red + dress
    const calls = setCalls(fake)
    expect(calls).toHaveLength(1)
    expect(calls[0]).toEqual([
      { imageId: 1, label: 'green', value: 1 },
      { imageId: 1, label: 'red', value: 0 },
    ])
    expect(useImagesStore().row(1)?.labels.filter((v, i) => v === 1 && i < 6)).toHaveLength(1)

    // Turning a label off touches only that label.
    await labels.toggle(1, 'dress')
    expect(setCalls(fake)[1]).toEqual([{ imageId: 1, label: 'dress', value: 0 }])

    // In bulk too: setting "shirt" on 1 and 3 clears their garments.
    await labels.setMany([1, 3], 'shirt', 1)
    expect(setCalls(fake)[2]).toEqual([
      { imageId: 1, label: 'shirt', value: 1 },
      { imageId: 3, label: 'shirt', value: 1 },
      { imageId: 3, label: 'shoes', value: 0 },
    ])
  })
})
