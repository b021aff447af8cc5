import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import type { SettingsForm } from '../../../src-renderer/lib/train-request.ts'
import { useQueueStore } from '../../../src-renderer/stores/queue.ts'
import { useTrainingStore } from '../../../src-renderer/stores/training.ts'
import { useUncertainQueueStore } from '../../../src-renderer/stores/uncertain-queue.ts'
import type { FakeBridge } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { LATEST_RUN, QueueBridge } from './queue-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** Every field set to a value unlike the defaults and unlike the latest run's. */
const TYPED: SettingsForm = { preset: null, backbone: 'nsfwjs-mobilenetv2', epochs: 3, learningRate: 0.5, batchSize: 16, seed: 9, l2: 0.3, classWeighting: false, hiddenUnits: 32, dropout: 0.1, earlyStopping: true, patience: 2, engine: 'onnx' }

async function typedInto(fake: QueueBridge): Promise<ReturnType<typeof useTrainingStore>> {
  await openProject(fake, use)
  const training = useTrainingStore()
  training.openPanel()
  await vi.waitFor(() => expect(training.settings).not.toBeNull())
  training.settings = { ...TYPED }
  return training
}

describe('warm retrain of the uncertainty queue', () => {
  it("trains with the latest run's settings and leaves every field of the Train panel's form as the user set it", async () => {
    const fake = new QueueBridge()
    const training = await typedInto(fake)
    const form = training.settings
    const queue = useQueueStore()
    const uncertain = useUncertainQueueStore()
    uncertain.setRetrainEvery(1)
    await queue.start('uncertain')
    await queue.confirm()
    await vi.waitFor(() => expect(fake.callsOf('train:start')).toHaveLength(1))
    expect(uncertain.retrain).toBe('retraining')
    // Run 3's settings; the engine is the form's (a run does not record where its features were extracted).
    expect(fake.callsOf('train:start')[0]).toEqual({
      backbone: LATEST_RUN.backbone,
      epochs: LATEST_RUN.config.epochs,
      learningRate: LATEST_RUN.config.learningRate,
      seed: LATEST_RUN.config.seed,
      l2: LATEST_RUN.config.l2,
      classWeighting: LATEST_RUN.config.classWeighting,
      hiddenUnits: LATEST_RUN.config.hiddenUnits,
      dropout: LATEST_RUN.config.dropout,
      earlyStopping: LATEST_RUN.config.earlyStopping,
      patience: LATEST_RUN.config.patience,
      engine: 'onnx',
    })
    expect(training.settings).toEqual(TYPED)
    expect(training.settings).toBe(form)
    expect(training.totalEpochs).toBe(LATEST_RUN.config.epochs)
  })

  it("retrainWith starts a stored run's settings without touching the form, and refuses a run it does not know", async () => {
    const fake = new QueueBridge()
    const training = await typedInto(fake)
    expect(await training.retrainWith(42)).toBe(false)
    expect(training.error).toEqual({ code: 'NOT_FOUND', message: 'no run 42' })
    expect(fake.callsOf('train:start')).toEqual([])

    expect(await training.retrainWith(LATEST_RUN.id)).toBe(true)
    expect(training.error).toBeNull()
    expect(training.jobId).toBe('train-1')
    expect(fake.callsOf('train:start')[0]).toMatchObject({ backbone: LATEST_RUN.backbone, epochs: 7, learningRate: 0.02, seed: 5 })
    expect(training.settings).toEqual(TYPED)
    // While that run trains, no second one starts.
    expect(await training.retrainWith(LATEST_RUN.id)).toBe(false)
    expect(fake.callsOf('train:start')).toHaveLength(1)
  })
})
