import { describe, expect, it, vi } from 'vitest'
import type {
  EpochStats,
  RequestName,
  Requests,
  RunDetail,
  RunSummary,
  TagsmithApi,
  TrainBackends,
  TrainStatus,
} from '../../../src-preload/contract.ts'
import { useTrainingStore } from '../../../src-renderer/stores/training.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { trainDone } from './train-done.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const BACKENDS: TrainBackends = {
  backend: { backend: 'wasm', device: 'CPU (WASM SIMD, 2 threads)', tried: [{ name: 'tensorflow', error: 'not installed' }] },
  engine: 'onnx',
  engines: [
    { name: 'onnx', available: true, reason: 'ONNX Runtime 1.x on the CPU' },
    { name: 'tfjs-node', available: false, reason: 'native TensorFlow on the CPU needs the optional package @tensorflow/tfjs-node, which is not installed' },
    { name: 'wasm', available: true, reason: 'TF.js WebAssembly backend' },
  ],
  backbones: [
    { id: 'nsfwjs-mobilenetv2', name: 'MobileNetV2 (bundled)', source: 'bundled', inputSize: 224, featureLayers: ['block_5_add'] },
    { id: 'mobilenet-v1-1.0-224', name: 'MobileNet v1', source: 'url', inputSize: 224, featureLayers: ['conv_pw_13_relu'] },
  ],
  defaultBackbone: 'nsfwjs-mobilenetv2',
  presets: [
    { id: 'default', name: 'Default', description: 'MobileNetV2 taps and colour statistics', parts: ['MobileNetV2', 'colour statistics'], head: { hiddenUnits: 64, earlyStopping: true } },
    { id: 'accurate', name: 'Accurate', description: 'Adds InceptionV3', parts: ['MobileNetV2', 'colour statistics', 'InceptionV3'], head: { hiddenUnits: 128 } },
  ],
  defaultPreset: 'default',
  defaults: { epochs: 40, learningRate: 0.01, batchSize: 0, l2: 0.0001, classWeighting: false, seed: 42, hiddenUnits: 0, dropout: 0.3, earlyStopping: true, patience: 8 },
}

const METRICS = { n: 2, exactMatch: 0.5, hammingAccuracy: 0.9, macroF1: 0.8, microF1: 0.85, mAP: 0.9, perLabel: {} }

function epoch(n: number): EpochStats {
  return { epoch: n, loss: 1 / n, valLoss: 1.2 / n, valExactMatch: n / 10, seconds: 0.01 }
}

/** The review fake plus the training requests: answers are set per test; calls are recorded. */
class TrainingBridge extends FakeBridge {
  startAnswer: () => Promise<{ jobId: string }> = () => Promise.resolve({ jobId: 'train-1' })
  current: TrainStatus | null = null
  runList: RunSummary[] = []

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const answer = this.#train(name, input)
    if (answer === undefined) return super.answer(name, input)
    return answer as Promise<Requests[K]['out']>
  }

  #train(name: RequestName, input: unknown): Promise<unknown> | undefined {
    switch (name) {
      case 'train:backends':
        return Promise.resolve(BACKENDS)
      case 'train:start':
        return this.startAnswer()
      case 'train:current':
        return Promise.resolve(this.current)
      case 'train:runs':
        return Promise.resolve(this.runList)
      case 'train:run':
        return Promise.resolve(detail((input as { id: number }).id))
      case 'train:delete':
        this.runList = this.runList.filter((r) => r.id !== (input as { id: number }).id)
        return Promise.resolve(this.runList)
      default:
        return undefined
    }
  }
}

function summary(id: number): RunSummary {
  const { perLabel: _perLabel, ...headline } = METRICS
  return { id, createdAt: '2026-01-01T00:00:00Z', backbone: 'nsfwjs-mobilenetv2', preset: null, config: { ...BACKENDS.defaults, epochs: 2 }, metrics: headline }
}

function detail(id: number): RunDetail {
  return {
    id,
    createdAt: '2026-01-01T00:00:00Z',
    backbone: { id: 'nsfwjs-mobilenetv2', name: 'MobileNetV2', featureLayers: ['block_5_add'], preset: null, parts: ['MobileNetV2'] },
    backend: 'wasm',
    config: { ...BACKENDS.defaults, epochs: 2 },
    bestEpoch: null,
    labels: [],
    groups: null,
    thresholds: null,
    history: [epoch(1), epoch(2)],
    metrics: { ...METRICS, exactMatch: 0.25 },
    timings: { extractSeconds: 1, trainSeconds: 1 },
  }
}

async function openPanel(fake: TrainingBridge): Promise<ReturnType<typeof useTrainingStore>> {
  await openProject(fake, use)
  const training = useTrainingStore()
  training.openPanel()
  await vi.waitFor(() => expect(training.settings).not.toBeNull())
  return training
}

describe('training store', () => {
  it("fills the settings from the default preset over the engine defaults and names the backend", async () => {
    const training = await openPanel(new TrainingBridge(sampleRows()))
    expect(training.backends?.backend.device).toBe('CPU (WASM SIMD, 2 threads)')
    // The default preset brings a hidden layer of 64; the rest are the engine's defaults.
    expect(training.settings).toEqual({ preset: 'default', backbone: 'nsfwjs-mobilenetv2', epochs: 40, learningRate: 0.01, batchSize: null, seed: 42, l2: 0.0001, classWeighting: false, hiddenUnits: 64, dropout: 0.3, earlyStopping: true, patience: 8, engine: null })
  })

  it('picking a preset sets the head settings it brings; one backbone alone goes back to the engine defaults', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    training.choosePreset('accurate')
    expect(training.settings).toMatchObject({ preset: 'accurate', hiddenUnits: 128, earlyStopping: true })
    training.choosePreset(null)
    expect(training.settings).toMatchObject({ preset: null, backbone: 'nsfwjs-mobilenetv2', hiddenUnits: 0 })
    expect(await training.start()).toBe(true)
    // A backbone alone is sent as a backbone, never with a preset.
    expect(fake.callsOf('train:start')[0]).toMatchObject({ backbone: 'nsfwjs-mobilenetv2', hiddenUnits: 0 })
    expect(fake.callsOf('train:start')[0]).not.toHaveProperty('preset')
  })

  it('offers Automatic first, then every engine; one that does not work here is disabled with its reason', async () => {
    const training = await openPanel(new TrainingBridge(sampleRows()))
    expect(training.engineChoices).toEqual([
      { value: null, label: 'Automatic (fastest: onnx)', disabled: false, title: 'ONNX Runtime (onnx): ONNX Runtime 1.x on the CPU' },
      { value: 'onnx', label: 'ONNX Runtime (onnx)', disabled: false, title: 'ONNX Runtime 1.x on the CPU' },
      { value: 'tfjs-node', label: 'TensorFlow native (tfjs-node)', disabled: true, title: BACKENDS.engines[1]?.reason },
      { value: 'wasm', label: 'TF.js WASM (wasm)', disabled: false, title: 'TF.js WebAssembly backend' },
    ])
    // Before any run: the engine that will extract.
    expect(training.engineInUse).toEqual({ name: 'onnx', ran: false })
  })

  it('sends the picked engine (none when automatic) and shows the engine that actually ran', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    if (training.settings === null) throw new Error('no settings')
    training.settings.epochs = 1
    expect(await training.start()).toBe(true)
    expect(fake.callsOf('train:start')[0]).not.toHaveProperty('engine')
    fake.emit('train:done', trainDone({ jobId: 'train-1', runId: 7, metrics: METRICS }))
    fake.emit('job:ended', { jobId: 'train-1', kind: 'train', status: 'done' })
    expect(training.engineInUse).toEqual({ name: 'onnx', ran: true })

    training.settings.engine = 'wasm'
    fake.startAnswer = () => Promise.resolve({ jobId: 'train-2' })
    expect(await training.start()).toBe(true)
    expect(fake.callsOf('train:start')[1]).toMatchObject({ engine: 'wasm', epochs: 1 })
    expect(training.engineInUse).toEqual({ name: 'wasm', ran: false })
    // The service fell back (or was told otherwise): what ran is what train:done says.
    fake.emit('train:done', trainDone({ jobId: 'train-2', runId: 8, engine: 'cpu', metrics: METRICS }))
    fake.emit('job:ended', { jobId: 'train-2', kind: 'train', status: 'done' })
    expect(training.engineInUse).toEqual({ name: 'cpu', ran: true })
  })

  it('sends the settings, follows progress and appends epochs in order, then shows the result', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    if (training.settings === null) throw new Error('no settings')
    training.settings.epochs = 3
    training.settings.batchSize = 16
    expect(await training.start()).toBe(true)
    expect(fake.callsOf('train:start')).toEqual([
      { preset: 'default', epochs: 3, learningRate: 0.01, batchSize: 16, seed: 42, l2: 0.0001, classWeighting: false, hiddenUnits: 64, dropout: 0.3, earlyStopping: true, patience: 8 },
    ])
    expect(training.phase).toBe('running')
    expect(training.jobId).toBe('train-1')

    fake.emit('job:progress', { jobId: 'train-1', kind: 'train', phase: 'extract', done: 2, total: 6, rate: 3, etaSeconds: 1.3 })
    expect(training.progress).toMatchObject({ phase: 'extract', done: 2 })
    // Another job's events are not ours.
    fake.emit('job:progress', { jobId: 'import-4', kind: 'import', phase: 'hashing', done: 1, total: 9, rate: 1, etaSeconds: 8 })
    fake.emit('train:epoch', { jobId: 'train-9', ...epoch(1) })
    expect(training.progress?.jobId).toBe('train-1')
    expect(training.epochs).toEqual([])

    const seen: number[][] = []
    for (const n of [1, 2, 3]) {
      fake.emit('train:epoch', { jobId: 'train-1', ...epoch(n) })
      seen.push(training.curve.points.map((p) => p.epoch))
    }
    // A repeated epoch (a reconnect replay) is not drawn twice.
    fake.emit('train:epoch', { jobId: 'train-1', ...epoch(2) })
    expect(seen).toEqual([[1], [1, 2], [1, 2, 3]])
    // While it runs, the chart marks the lowest validation loss so far; once done, the epoch the run kept.
    expect(training.curve).toMatchObject({ series: 'train-1', total: 3, best: 3 })

    fake.runList = [summary(7)]
    fake.emit('train:done', trainDone({ jobId: 'train-1', runId: 7, metrics: METRICS, bestEpoch: 2 }))
    expect(training.curve.best).toBe(2)
    fake.emit('job:ended', { jobId: 'train-1', kind: 'train', status: 'done' })
    await vi.waitFor(() => expect(training.runs).toHaveLength(1))
    expect(training.phase).toBe('done')
    expect(training.running).toBe(false)
    expect(training.progress).toBeNull()
    expect(training.metrics).toEqual(METRICS)
    expect(training.shownRunId).toBe(7)
    expect(training.runs.map((r) => r.id)).toEqual([7])
  })

  it('claims events that arrive before the start answer names the job', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    let answer: (v: { jobId: string }) => void = () => undefined
    fake.startAnswer = () => new Promise((resolve) => (answer = resolve))
    const started = training.start()
    expect(training.phase).toBe('starting')
    fake.emit('job:progress', { jobId: 'train-2', kind: 'train', phase: 'starting', done: 0, total: 0, rate: 0, etaSeconds: null })
    expect(training.jobId).toBe('train-2')
    answer({ jobId: 'train-2' })
    expect(await started).toBe(true)
    expect(training.phase).toBe('running')
  })

  it('cancels its own job and ends as cancelled', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    await training.start()
    fake.emit('train:epoch', { jobId: 'train-1', ...epoch(1) })
    await training.cancel()
    expect(fake.callsOf('job:cancel')).toEqual([{ jobId: 'train-1' }])
    expect(training.cancelling).toBe(true)
    expect(training.running).toBe(true)
    fake.emit('job:ended', { jobId: 'train-1', kind: 'train', status: 'cancelled', error: { code: 'CANCELLED', message: 'train was cancelled' } })
    expect(training.phase).toBe('cancelled')
    expect(training.cancelling).toBe(false)
    expect(training.error).toBeNull()
    expect(training.metrics).toBeNull()
    // The epochs so far stay in view.
    expect(training.epochs).toHaveLength(1)
  })

  it('shows a refused start and a failed job as errors', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    fake.startAnswer = () => Promise.reject({ code: 'BAD_INPUT', message: 'train:start: lr: Too big' })
    expect(await training.start()).toBe(false)
    expect(training.phase).toBe('failed')
    expect(training.error).toEqual({ code: 'BAD_INPUT', message: 'train:start: lr: Too big' })
    expect(training.running).toBe(false)

    fake.startAnswer = () => Promise.resolve({ jobId: 'train-3' })
    await training.start()
    expect(training.error).toBeNull()
    fake.emit('job:ended', { jobId: 'train-3', kind: 'train', status: 'failed', error: { code: 'INTERNAL', message: 'train job crashed (signal SIGKILL)' } })
    expect(training.phase).toBe('failed')
    expect(training.error?.message).toContain('crashed')
    training.dismissError()
    expect(training.error).toBeNull()
  })

  it('refuses an empty field before asking the service', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    if (training.settings === null) throw new Error('no settings')
    ;(training.settings as { epochs: unknown }).epochs = ''
    expect(await training.start()).toBe(false)
    expect(training.error).toEqual({ code: 'BAD_INPUT', message: 'Epochs must be a number' })
    expect(fake.callsOf('train:start')).toEqual([])
  })

  it('takes over a training already running for this project when the panel opens', async () => {
    const fake = new TrainingBridge(sampleRows())
    fake.current = {
      jobId: 'train-5',
      project: 'p.tagsmith',
      startedAt: '2026-01-01T00:00:00Z',
      settings: { epochs: 10 },
      epochs: 10,
      history: [epoch(1), epoch(2)],
      progress: { jobId: 'train-5', kind: 'train', phase: 'train', done: 2, total: 10, rate: 5, etaSeconds: 2 },
    }
    const training = await openPanel(fake)
    await vi.waitFor(() => expect(training.phase).toBe('running'))
    expect(training.jobId).toBe('train-5')
    expect(training.curve.points.map((p) => p.epoch)).toEqual([1, 2])
    fake.emit('train:epoch', { jobId: 'train-5', ...epoch(3) })
    expect(training.epochs.map((p) => p.epoch)).toEqual([1, 2, 3])
  })

  it('shows a stored run, and deletes runs', async () => {
    const fake = new TrainingBridge(sampleRows())
    fake.runList = [summary(1), summary(2)]
    const training = await openPanel(fake)
    await vi.waitFor(() => expect(training.runs.map((r) => r.id)).toEqual([1, 2]))
    await training.showRun(2)
    expect(training.curve).toMatchObject({ series: 'run-2', total: 2 })
    expect(training.metrics?.exactMatch).toBe(0.25)
    await training.deleteRun(2)
    expect(training.runs.map((r) => r.id)).toEqual([1])
    expect(training.shownRun).toBeNull()
  })

  it('releases its event listeners when disposed', async () => {
    const fake = new TrainingBridge(sampleRows())
    const training = await openPanel(fake)
    const before = fake.listenerCount()
    training.$dispose()
    expect(before - fake.listenerCount()).toBe(4)
  })
})
