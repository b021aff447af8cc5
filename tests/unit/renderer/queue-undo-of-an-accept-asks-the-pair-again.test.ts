import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
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

const blue = (): unknown => useImagesStore().row(6)?.labels[APPAREL.indexOf('blue')]

describe('undo after an accept', () => {
  it('restores the label, brings the pair back to the editor and takes it out of the counts; redo moves on again', async () => {
    const fake = new QueueBridge()
    await openProject(fake, use)
    const queue = useQueueStore()
    const suspects = useSuspectsQueueStore()
    const labels = useLabelsStore()
    const view = useViewStore()
    await queue.start('suspects')
    await queue.accept()
    expect(blue()).toBe(0)
    expect(view.current).toBe(3)
    expect(suspects.fixed).toBe(1)

    expect(await labels.undo()).toBe(true)
    expect(blue()).toBe(1)
    await vi.waitFor(() => expect(suspects.fixed).toBe(0))
    expect(suspects.reviewed).toBe(0)
    expect(suspects.pair).toMatchObject({ imageId: 6, label: 'blue' })
    expect(view.current).toBe(6)
    expect(labels.canRedo).toBe(true)
    // The service asks the pair again too.
    expect(fake.suspects(10).suspects[0]).toMatchObject({ imageId: 6, label: 'blue' })

    expect(await labels.redo()).toBe(true)
    expect(blue()).toBe(0)
    await vi.waitFor(() => expect(suspects.fixed).toBe(1))
    expect(suspects.pair).toMatchObject({ imageId: 3, label: 'shoes' })
    expect(view.current).toBe(3)
  })

  it('an undo of an ordinary edit leaves the queue where it is', async () => {
    const fake = new QueueBridge()
    await openProject(fake, use)
    const queue = useQueueStore()
    const suspects = useSuspectsQueueStore()
    const labels = useLabelsStore()
    await queue.start('suspects')
    await queue.accept()
    await labels.toggle(3, 'green')
    await labels.undo()
    await vi.waitFor(() => expect(fake.callsOf('quality:suspects').length).toBeGreaterThan(1))
    expect(suspects.pair).toMatchObject({ imageId: 3, label: 'shoes' })
    expect(blue()).toBe(0)
    expect(suspects.fixed).toBe(1)
  })
})
