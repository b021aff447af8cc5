import type { ModelExport, Predictions, RequestName, Requests, RunDetail, RunSummary } from '../../../src-preload/contract.ts'
import { FakeBridge, type RowSpec } from './fake-bridge.ts'

// The hand-made case of predictions-metrics-match-a-hand-computed-case, as a project: labels a, b (one-of)
// and c; images 1-4 in val, image 5 a training image scored out of fold; image 4's c is an empty cell.
export const LABELS = ['a', 'b', 'c']
export const GROUPS = [['a', 'b']]
export const PROBS = [
  [0.9, 0.2, 0.7],
  [0.62, 0.7, 0.1],
  [0.4, 0.45, 0.55],
  [0.3, 0.05, 0.95],
  [0.8, 0.1, 0.2],
]

export function caseRows(): RowSpec[] {
  return [
    { path: '1.jpg', on: ['a', 'c'], split: 'val' },
    { path: '2.jpg', on: ['b'], split: 'val' },
    { path: '3.jpg', on: ['a'], split: 'val' },
    { path: '4.jpg', on: ['b'], split: 'val' },
    { path: '5.jpg', on: ['a'] },
  ]
}

export function casePredictions(runId = 3): Predictions {
  return {
    runId,
    labels: LABELS,
    imageIds: [1, 2, 3, 4, 5],
    probs: PROBS.flat(),
    source: ['val', 'val', 'val', 'val', 'oof'],
    thresholds: [0.5, 0.5, 0.5],
    tuned: null,
    groups: [],
  }
}

function summary(id: number, exactMatch: number): RunSummary {
  return {
    id,
    createdAt: `2026-01-0${id}T00:00:00Z`,
    preset: null,
    backbone: 'nsfwjs-mobilenetv2',
    config: { epochs: 5, learningRate: 0.01, batchSize: 0, l2: 0.0001, classWeighting: false, seed: 42, hiddenUnits: 0, dropout: 0.3, earlyStopping: true, patience: 8 },
    metrics: { n: 4, exactMatch, hammingAccuracy: 0.7, macroF1: 0.6, microF1: 0.6, mAP: 0.8 },
  }
}

/**
 * The review fake plus predictions, thresholds, model export and stored runs: answers set per test, every
 * call recorded. model:export can be held to observe its progress.
 */
export class PredictionsBridge extends FakeBridge {
  predictions: Predictions = casePredictions()
  tunedAnswer = [0.35, 0.5, 0.6]
  exportAnswer: ModelExport = { out: 'out/model', files: ['model.json', 'group1-shard1of1.bin', 'tagsmith.json', 'README.md', 'predict.mjs'], maxAbsDiff: 3e-7, onnx: null }
  runList: RunSummary[] = [summary(2, 0.25), summary(3, 0.5)]
  #heldExport: (() => void) | null = null
  holdExport = false

  constructor(specs: RowSpec[] = caseRows(), groups: string[][] = []) {
    super(specs, LABELS, groups)
    // Image 4's c is an empty cell in the CSV.
    this.rows = this.rows.map((r) => (r.id === 4 ? { ...r, labels: r.labels.map((v, j) => (j === 2 ? null : v)) } : r))
  }

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const answer = this.#answer(name, input)
    if (answer === undefined) return super.answer(name, input)
    return answer as Promise<Requests[K]['out']>
  }

  /** Lets a held model:export answer. */
  releaseExport(): void {
    this.#heldExport?.()
    this.#heldExport = null
  }

  #answer(name: RequestName, input: unknown): Promise<unknown> | undefined {
    switch (name) {
      case 'predict:get':
        return Promise.resolve(structuredClone(this.predictions))
      case 'thresholds:set':
        return Promise.resolve({ thresholds: (input as { thresholds: number[] }).thresholds })
      case 'thresholds:tune':
        return Promise.resolve({ thresholds: this.tunedAnswer })
      case 'model:export':
        if (!this.holdExport) return Promise.resolve(this.exportAnswer)
        return new Promise((resolve) => (this.#heldExport = () => resolve(this.exportAnswer)))
      case 'train:runs':
        return Promise.resolve(this.runList)
      case 'train:run':
        return new Promise((resolve) => resolve(detail(this.runList, (input as { id: number }).id)))
      case 'train:delete':
        this.runList = this.runList.filter((r) => r.id !== (input as { id: number }).id)
        return Promise.resolve(this.runList)
      default:
        return undefined
    }
  }
}

function detail(runs: RunSummary[], id: number): RunDetail {
  const s = runs.find((r) => r.id === id)
  if (s === undefined) throw { code: 'NOT_FOUND', message: `no run ${id}` }
  const perLabel = Object.fromEntries(
    LABELS.map((l, j) => [l, { precision: 0.5 + j / 10, recall: 0.5, f1: 0.5, ap: 0.7 + id / 100, support: 2, tp: 1, fp: 1, fn: 1 }]),
  )
  return {
    id,
    createdAt: s.createdAt,
    backbone: { id: s.backbone, name: 'MobileNetV2', featureLayers: ['block_5_add'], preset: null, parts: ['MobileNetV2'] },
    backend: 'wasm',
    config: s.config,
    bestEpoch: null,
    labels: LABELS,
    groups: null,
    thresholds: [0.5, 0.5, 0.5],
    history: [],
    metrics: { ...s.metrics, perLabel },
    timings: { extractSeconds: 1, trainSeconds: 1 },
  }
}
