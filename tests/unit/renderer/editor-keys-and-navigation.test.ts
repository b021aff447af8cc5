import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { labelIndexForKey, labelKeys } from '../../../src-renderer/lib/label-keys.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { useSelectionStore } from '../../../src-renderer/stores/selection.ts'
import { useViewStore } from '../../../src-renderer/stores/view.ts'
import { nextTick } from 'vue'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

describe('editor keys', () => {
  it('labels get 1-9, 0, then letters, never J or K (next/previous)', () => {
    const keys = labelKeys(40)
    expect(keys.slice(0, 12)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'q', 'w'])
    expect(keys).not.toContain('j')
    expect(keys).not.toContain('k')
    expect(keys.filter((k) => k !== null)).toHaveLength(new Set(keys.filter((k) => k !== null)).size)
    expect(keys.at(-1)).toBeNull()
    expect(labelIndexForKey('Q', 11)).toBe(10)
    expect(labelIndexForKey('w', 11)).toBe(-1)
    expect(labelIndexForKey('j', 40)).toBe(-1)
  })
})

describe('editor navigation', () => {
  it('moves through the filtered images and stops at the ends', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const view = useViewStore()
    useFiltersStore().setLabel('red', 'has') // 1, 3, 6
    view.openEditor(3)
    expect(view.positionLabel).toBe('2 / 3')
    view.next()
    expect(view.current).toBe(6)
    view.next()
    expect(view.current).toBe(6)
    view.prev()
    view.prev()
    view.prev()
    expect(view.current).toBe(1)
    view.closeEditor()
    expect(view.mode).toBe('grid')
    expect(view.lastOpened).toBe(1)
  })

  it('after an edit takes the open image out of the filter, next shows the image that took its place', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const view = useViewStore()
    useFiltersStore().setLabel('red', 'has') // 1, 3, 6
    view.openEditor(3)
    await useLabelsStore().toggle(3, 'red')
    expect(view.current).toBe(3)
    expect(view.positionLabel).toBe('– / 2')
    view.next()
    expect(view.current).toBe(6)

    view.openEditor(6)
    await useLabelsStore().toggle(6, 'red')
    view.prev()
    expect(view.current).toBe(1)
  })

  it('opening another project closes the editor and forgets the selection', async () => {
    const fake = new FakeBridge(sampleRows())
    await openProject(fake, use)
    const view = useViewStore()
    const selection = useSelectionStore()
    selection.selectAll()
    view.openEditor(2)
    fake.info = { ...fake.info, file: 'other.tagsmith' }
    await useProjectStore().open('other.tagsmith')
    await nextTick()
    expect(view.current).toBeNull()
    expect(selection.count).toBe(0)
  })
})
