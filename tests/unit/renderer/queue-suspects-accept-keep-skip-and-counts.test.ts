import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { queueKeyAction } from '../../../src-renderer/lib/queue-keys.ts'
import { labelKeys } from '../../../src-renderer/lib/label-keys.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useQueueStore } from '../../../src-renderer/stores/queue.ts'
import { useSuspectsQueueStore } from '../../../src-renderer/stores/suspects-queue.ts'
import { useViewStore } from '../../../src-renderer/stores/view.ts'
import { APPAREL, type FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { QueueBridge } from './queue-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

async function started(): Promise<{
  fake: QueueBridge
  queue: ReturnType<typeof useQueueStore>
  suspects: ReturnType<typeof useSuspectsQueueStore>
}> {
  const fake = new QueueBridge()
  await openProject(fake, use)
  const queue = useQueueStore()
  const suspects = useSuspectsQueueStore()
  queue.openPanel('suspects')
  await vi.waitFor(() => expect(suspects.queue).not.toBeNull())
  expect(await queue.start()).toBe(true)
  return { fake, queue, suspects }
}

const cell = (id: number, label: string): unknown => useImagesStore().row(id)?.labels[APPAREL.indexOf(label)]

describe('label-error queue', () => {
  it('opens the editor on the worst image with its suspected label highlighted', async () => {
    const { queue, suspects } = await started()
    expect(useViewStore().current).toBe(6)
    expect(queue.highlight).toEqual({ imageId: 6, label: 'blue', note: 'model says 0.04 → 0, stored 1' })
    expect(queue.position).toBe('1 / 3')
    expect({ reviewed: suspects.reviewed, fixed: suspects.fixed, total: suspects.total }).toEqual({ reviewed: 0, fixed: 0, total: 3 })
    expect(queue.keysActive).toBe(true)
  })

  it('accept stores the model view as one undoable edit, counts it fixed and moves on', async () => {
    const { fake, queue, suspects } = await started()
    const labels = useLabelsStore()
    expect(labels.canUndo).toBe(false)
    expect(await queue.accept()).toBe(true)
    expect(fake.callsOf('quality:review')).toEqual([{ runId: 3, imageId: 6, label: 'blue', action: 'accept' }])
    // The grid's row, the undo button and the saved state follow, as after a labels:set.
    expect(cell(6, 'blue')).toBe(0)
    expect(useImagesStore().row(6)?.edited).toBe(true)
    expect(labels.canUndo).toBe(true)
    expect(labels.saveState).toBe('saved')
    expect(labels.lastEdit).toEqual({ kind: 'set', cells: 1, images: 1 })
    expect({ reviewed: suspects.reviewed, fixed: suspects.fixed }).toEqual({ reviewed: 1, fixed: 1 })
    expect(useViewStore().current).toBe(3)
    expect(suspects.pair?.label).toBe('shoes')
  })

  it('keep leaves the label, counts it reviewed, and asks the same image its next pair before moving on', async () => {
    const { fake, queue, suspects } = await started()
    await queue.skip()
    expect(fake.callsOf('quality:review')).toEqual([])
    expect(suspects.pair).toMatchObject({ imageId: 3, label: 'shoes' })
    await queue.keep()
    expect(cell(3, 'shoes')).toBe(1)
    expect({ reviewed: suspects.reviewed, fixed: suspects.fixed }).toEqual({ reviewed: 1, fixed: 0 })
    // The image's other suspect pair comes next, on the same image.
    expect(suspects.pair).toMatchObject({ imageId: 3, label: 'dress' })
    expect(queue.highlight?.note).toBe('model says 0.90 → 1, stored 0')
    await queue.accept()
    expect(cell(3, 'dress')).toBe(1)
    expect(suspects.pair).toMatchObject({ imageId: 1, label: 'white' })
    await queue.skip()
    expect(suspects.pair).toBeNull()
    expect(queue.done).toBe(true)
    expect({ reviewed: suspects.reviewed, fixed: suspects.fixed }).toEqual({ reviewed: 2, fixed: 1 })
    // A kept pair is not asked again: a reload leaves it out, the skipped ones stay.
    await queue.load('suspects')
    expect(suspects.queue?.suspects.map((s) => `${s.imageId}:${s.label}`)).toEqual(['6:blue', '1:white'])
  })

  it('a refused accept leaves the label, the walk and the counts, and says why', async () => {
    const { fake, queue, suspects } = await started()
    fake.refuseReviews = { code: 'CONFLICT', message: 'the cell changed since the queue was computed' }
    expect(await queue.accept()).toBe(false)
    expect(queue.error?.code).toBe('CONFLICT')
    expect(useLabelsStore().saveState).toBe('error')
    expect(cell(6, 'blue')).toBe(1)
    expect(suspects.pair).toMatchObject({ imageId: 6, label: 'blue' })
    expect({ reviewed: suspects.reviewed, fixed: suspects.fixed }).toEqual({ reviewed: 0, fixed: 0 })
    expect(queue.busy).toBe(false)
  })

  it('the queue keys do not clash with label keys, J/K or the arrows', () => {
    for (const key of [...labelKeys(APPAREL.length).filter((k): k is string => k !== null), 'j', 'k', 'ArrowLeft', 'ArrowRight', 'Escape', 'z']) {
      expect(queueKeyAction({ key, shiftKey: false }, 'suspects')).toBeNull()
      expect(queueKeyAction({ key, shiftKey: false }, 'uncertain')).toBeNull()
    }
    expect(queueKeyAction({ key: 'Enter', shiftKey: false }, 'suspects')).toBe('accept')
    expect(queueKeyAction({ key: 'Enter', shiftKey: true }, 'suspects')).toBe('keep')
    expect(queueKeyAction({ key: 'Backspace', shiftKey: false }, 'suspects')).toBe('keep')
    expect(queueKeyAction({ key: 'Tab', shiftKey: false }, 'suspects')).toBe('skip')
    expect(queueKeyAction({ key: 'Enter', shiftKey: false }, 'uncertain')).toBe('confirm')
    expect(queueKeyAction({ key: 'Backspace', shiftKey: false }, 'uncertain')).toBeNull()
  })

  it('the queue keys wait while the editor shows another image', async () => {
    const { queue } = await started()
    useViewStore().prev()
    expect(useViewStore().current).not.toBe(6)
    expect(queue.keysActive).toBe(false)
    queue.jumpTo(0)
    expect(useViewStore().current).toBe(6)
    expect(queue.keysActive).toBe(true)
  })
})
