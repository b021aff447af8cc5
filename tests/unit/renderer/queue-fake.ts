import type {
  RequestName,
  Requests,
  RunSummary,
  Suspect,
  SuspectQueue,
  TrainBackends,
  UncertainItem,
  UncertainQueue,
} from '../../../src-preload/contract.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'

export const BACKENDS: TrainBackends = {
  backend: { backend: 'wasm', device: 'CPU', tried: [] },
  engine: 'onnx',
  engines: [{ name: 'onnx', available: true, reason: 'ONNX Runtime on the CPU' }],
  backbones: [{ id: 'nsfwjs-mobilenetv2', name: 'MobileNetV2', source: 'bundled', inputSize: 224, featureLayers: ['block_5_add'] }],
  defaultBackbone: 'nsfwjs-mobilenetv2',
  presets: [
    { id: 'default', name: 'Default', description: 'MobileNetV2 taps and colour statistics', parts: ['MobileNetV2', 'colour statistics'], head: { hiddenUnits: 64, earlyStopping: true } },
    { id: 'accurate', name: 'Accurate', description: 'Adds InceptionV3', parts: ['MobileNetV2', 'colour statistics', 'InceptionV3'], head: { hiddenUnits: 128 } },
  ],
  defaultPreset: 'default',
  defaults: { epochs: 40, learningRate: 0.01, batchSize: 0, l2: 0.0001, classWeighting: false, seed: 42, hiddenUnits: 0, dropout: 0.3, earlyStopping: true, patience: 8 },
}

const METRICS = { n: 2, exactMatch: 0.5, hammingAccuracy: 0.9, macroF1: 0.8, microF1: 0.85, mAP: 0.9 }

/** The latest run as train:runs lists it: its settings differ from the defaults, so a retrain shows which it took. */
export const LATEST_RUN: RunSummary = {
  id: 3,
  createdAt: '2026-01-01T00:00:00Z',
  backbone: 'mobilenet-v1-1.0-224',
  preset: null,
  config: { epochs: 7, learningRate: 0.02, batchSize: 0, l2: 0.001, classWeighting: true, seed: 5, hiddenUnits: 64, dropout: 0.2, earlyStopping: false, patience: 3 },
  metrics: METRICS,
}

const suspect = (imageId: number, label: string, stored: 0 | 1, probability: number, score: number): Suspect => ({
  imageId,
  image: sampleRows()[imageId - 1]?.path ?? '',
  label,
  stored,
  probability,
  score,
})

/**
 * Over sampleRows(): image 6 (red, blue, dress) is suspected for blue; image 3 (red, shoes) for shoes and,
 * less, for dress; image 1 (red, dress) for white.
 */
export const SUSPECTS: Suspect[] = [
  suspect(6, 'blue', 1, 0.04, 3),
  suspect(3, 'shoes', 1, 0.1, 2),
  suspect(1, 'white', 0, 0.81, 1),
]
const OTHERS: Record<number, Suspect[]> = { 3: [suspect(3, 'dress', 0, 0.9, 1.5)] }

export const UNCERTAIN: UncertainItem[] = [2, 4, 1, 3].map((imageId, i) => ({
  imageId,
  image: sampleRows()[imageId - 1]?.path ?? '',
  unlabelled: [],
  label: 'red',
  probability: 0.45 + i * 0.01,
  threshold: 0.5,
  margin: 0.1 + i * 0.1,
}))

/**
 * The review fake plus the quality and training requests, with the service's rules: 'accept' is one
 * labels:set step; a pair counts as reviewed while kept, or while an accepted one still holds the model's
 * view (an undo brings it back into the queue); confirmations counted per run.
 */
export class QueueBridge extends FakeBridge {
  runId = 3
  /** When set, quality:review answers with this error. */
  refuseReviews: { code: string; message: string } | null = null
  private readonly kept = new Set<string>()
  private readonly accepted = new Map<string, Suspect>()
  private readonly confirmedIds = new Set<number>()
  private jobs = 0

  constructor() {
    super(sampleRows())
  }

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const answer = this.#answer(name, input)
    if (answer === undefined) return super.answer(name, input)
    return answer as Promise<Requests[K]['out']>
  }

  #answer(name: RequestName, input: unknown): Promise<unknown> | undefined {
    switch (name) {
      case 'quality:suspects':
        return Promise.resolve(this.suspects((input as { limit?: number }).limit ?? 500))
      case 'quality:review':
        return this.review(input as Requests['quality:review']['in'])
      case 'quality:uncertain':
        return Promise.resolve(this.uncertain((input as { runId?: number }).runId ?? this.runId))
      case 'quality:confirm':
        this.confirmedIds.add((input as { imageId: number }).imageId)
        return Promise.resolve({ confirmed: this.confirmedIds.size })
      case 'train:backends':
        return Promise.resolve(BACKENDS)
      case 'train:runs':
        return Promise.resolve([LATEST_RUN])
      case 'train:current':
        return Promise.resolve(null)
      case 'train:start':
        return Promise.resolve({ jobId: `train-${++this.jobs}` })
      default:
        return undefined
    }
  }

  private done(s: Suspect): boolean {
    const key = `${s.imageId}:${s.label}`
    return this.kept.has(key) || (this.accepted.has(key) && this.value(s.imageId, s.label) !== s.stored)
  }

  private counts(): { reviewed: number; fixed: number } {
    let fixed = 0
    for (const s of this.accepted.values()) if (this.value(s.imageId, s.label) !== s.stored) fixed++
    return { reviewed: this.kept.size + fixed, fixed }
  }

  suspects(limit: number): SuspectQueue {
    const open = SUSPECTS.map((s) => [s, ...(OTHERS[s.imageId] ?? [])].filter((p) => !this.done(p))).filter((l) => l.length > 0)
    const others: Record<number, Suspect[]> = {}
    for (const [first, ...rest] of open) if (first !== undefined && rest.length > 0) others[first.imageId] = rest
    const suspects = open.map((l) => l[0]).filter((s): s is Suspect => s !== undefined)
    return { runId: this.runId, suspects: suspects.slice(0, limit), others, total: SUSPECTS.length, ...this.counts() }
  }

  private async review(input: Requests['quality:review']['in']): Promise<Requests['quality:review']['out']> {
    if (this.refuseReviews !== null) throw this.refuseReviews
    const s = [...SUSPECTS, ...Object.values(OTHERS).flat()].find((p) => p.imageId === input.imageId && p.label === input.label)
    if (s === undefined) throw { code: 'NOT_FOUND', message: 'no such pair' }
    const key = `${s.imageId}:${s.label}`
    let edit = null
    if (input.action === 'accept') {
      const sent = this.calls.length
      edit = await super.invoke('labels:set', { changes: [{ imageId: s.imageId, label: s.label, value: s.stored === 1 ? 0 : 1 }] })
      // The service's own edit: not a labels:set the UI sent.
      this.calls.splice(sent, 1)
      this.accepted.set(key, s)
    } else this.kept.add(key)
    return { edit, ...this.counts() }
  }

  private uncertain(runId: number): UncertainQueue {
    // A newer run puts the images in another order: the last first.
    const order = runId === this.runId ? UNCERTAIN : [...UNCERTAIN].reverse()
    const items = order.filter((i) => !this.confirmedIds.has(i.imageId))
    return { runId, items, total: items.length, confirmed: this.confirmedIds.size }
  }
}
