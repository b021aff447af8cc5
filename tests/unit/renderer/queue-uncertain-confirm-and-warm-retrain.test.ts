import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { useDockStore } from '../../../src-renderer/stores/dock.ts'
import { useHealthStore } from '../../../src-renderer/stores/health.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useQueueStore } from '../../../src-renderer/stores/queue.ts'
import { useTrainingStore } from '../../../src-renderer/stores/training.ts'
import { useUncertainQueueStore } from '../../../src-renderer/stores/uncertain-queue.ts'
import { useViewStore } from '../../../src-renderer/stores/view.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { QueueBridge } from './queue-fake.ts'
import { trainDone } from './train-done.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

describe('uncertainty queue', () => {
  it('confirms and moves on; after every N a warm retrain with the latest run settings refreshes the order', async () => {
    const fake = new QueueBridge()
    await openProject(fake, use)
    const queue = useQueueStore()
    const uncertain = useUncertainQueueStore()
    const view = useViewStore()
    queue.openPanel('uncertain')
    uncertain.setRetrainEvery(2)
    await queue.start()
    expect(view.current).toBe(2)
    expect(queue.highlight).toEqual({ imageId: 2, label: 'red', note: 'model says 0.45, threshold 0.50' })

    await queue.confirm()
    expect(fake.callsOf('quality:confirm')).toEqual([{ runId: 3, imageId: 2 }])
    expect(uncertain.confirmed).toBe(1)
    expect(view.current).toBe(4)
    expect(fake.callsOf('train:start')).toEqual([])
    queue.skip()
    expect(view.current).toBe(1)
    await queue.confirm()
    expect(uncertain.retrain).toBe('retraining')
    await vi.waitFor(() => expect(fake.callsOf('train:start')).toHaveLength(1))
    expect(fake.callsOf('train:start')[0]).toEqual({
      backbone: 'mobilenet-v1-1.0-224',
      epochs: 7,
      learningRate: 0.02,
      seed: 5,
      l2: 0.001,
      classWeighting: true,
      hiddenUnits: 64,
      dropout: 0.2,
      earlyStopping: false,
      patience: 3,
    })
    expect(view.current).toBe(3)

    // Another job's result is not the retrain's.
    fake.emit('train:done', trainDone({ jobId: 'train-99', runId: 8 }))
    expect(uncertain.retrain).toBe('retraining')
    fake.emit('train:done', trainDone({ jobId: 'train-1', runId: 4 }))
    await vi.waitFor(() => expect(uncertain.retrain).toBe('refreshed'))
    expect(fake.callsOf('quality:uncertain').at(-1)).toEqual({ runId: 4, limit: 500 })
    expect(uncertain.queue?.runId).toBe(4)
    // The image on screen stays first; the rest in the new order, confirmed ones left out.
    expect(uncertain.queue?.items.map((i) => i.imageId)).toEqual([3, 4])
    expect(view.current).toBe(3)
    expect(uncertain.sinceRetrain).toBe(0)
  })

  it('a retrain that fails says so', async () => {
    const fake = new QueueBridge()
    await openProject(fake, use)
    const queue = useQueueStore()
    const uncertain = useUncertainQueueStore()
    uncertain.setRetrainEvery(1)
    await queue.start('uncertain')
    await queue.confirm()
    await vi.waitFor(() => expect(fake.callsOf('train:start')).toHaveLength(1))
    fake.emit('job:ended', { jobId: 'train-1', kind: 'train', status: 'failed', error: { code: 'INTERNAL', message: 'out of memory' } })
    await vi.waitFor(() => expect(uncertain.retrain).toBe('failed'))
    expect(uncertain.retrainError).toBe('out of memory')
  })

  it('is one side panel at a time with Train, Predictions and Health', async () => {
    await openProject(new QueueBridge(), use)
    const queue = useQueueStore()
    const training = useTrainingStore()
    const predictions = usePredictionsStore()
    const health = useHealthStore()
    const dock = useDockStore()
    training.openPanel()
    queue.openPanel()
    expect(dock.panel).toBe('issues')
    predictions.openPanel()
    expect(dock.panel).toBe('predictions')
    queue.openPanel()
    expect(dock.panel).toBe('issues')
    health.togglePanel()
    expect(dock.panel).toBe('health')
    queue.togglePanel()
    expect(dock.panel).toBe('issues')
    queue.togglePanel()
    expect(dock.panel).toBeNull()
  })
})
