import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useDockStore } from '../../../src-renderer/stores/dock.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useQueueStore } from '../../../src-renderer/stores/queue.ts'
import { useTrainingStore } from '../../../src-renderer/stores/training.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { QueueBridge } from './queue-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

describe('side panel dock', () => {
  it('shows one panel: opening one replaces the other, and closing a panel not shown leaves the one that is', async () => {
    await openProject(new QueueBridge(), use)
    const dock = useDockStore()
    const training = useTrainingStore()
    const predictions = usePredictionsStore()
    expect(dock.panel).toBeNull()
    training.openPanel()
    predictions.openPanel()
    expect(dock.panel).toBe('predictions')
    training.closePanel()
    expect(dock.panel).toBe('predictions')
    // The Train button opens its panel in the place of the one shown, rather than closing anything.
    training.togglePanel()
    expect(dock.panel).toBe('train')
    training.togglePanel()
    expect(dock.panel).toBeNull()
  })

  it('another panel docking in the place of Find issues stops walking the queue', async () => {
    await openProject(new QueueBridge(), use)
    const dock = useDockStore()
    const queue = useQueueStore()
    queue.openPanel('suspects')
    expect(await queue.start()).toBe(true)
    expect(queue.walking).toBe('suspects')
    expect(queue.keysActive).toBe(true)
    useTrainingStore().openPanel()
    expect(dock.panel).toBe('train')
    expect(queue.keysActive).toBe(false)
    expect(queue.highlight).toBeNull()
    await vi.waitFor(() => expect(queue.walking).toBeNull())
  })
})
