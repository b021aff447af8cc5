import type { TrainDone } from '../../../src-preload/contract.ts'

/** The train:done event of a finished run on the sample rows; a test overrides the fields it checks. */
export function trainDone(over: Partial<TrainDone> = {}): TrainDone {
  return {
    jobId: 'train-1',
    runId: 1,
    project: 'p.tagsmith',
    metrics: { n: 2, exactMatch: 1, hammingAccuracy: 1, macroF1: 1, microF1: 1, mAP: 1, perLabel: {} },
    bestEpoch: null,
    extractSeconds: 1,
    trainSeconds: 1,
    backend: 'wasm',
    device: 'CPU',
    engine: 'onnx',
    backbone: 'nsfwjs-mobilenetv2:block_5_add',
    rows: { train: 4, val: 2, valSource: 'val' },
    extraction: { total: 6, cached: 0, computed: 6, skipped: 0 },
    ...over,
  }
}
