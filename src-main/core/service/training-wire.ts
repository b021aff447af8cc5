// The engine's training records as the contract's shapes: no head weights and no per-label table in a
// summary. Epochs are EpochStats from the start (ml/train.ts), so they are copied, not converted.
import type { BackboneChoice, EpochStats, RunDetail, RunMetrics, RunSummary } from '../../../src-preload/contract.ts'
import type { BackboneSpec } from '../ml/backbones/catalog.ts'
import type { Metrics } from '../ml/metrics.ts'
import type { RunRecord, StoredRunSummary } from '../ml/runs.ts'
import type { EpochEvent } from '../ml/train.ts'

export function toEpochStats(e: EpochEvent): EpochStats {
  return { epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, valExactMatch: e.valExactMatch, seconds: e.seconds }
}

export function toRunMetrics(m: Metrics): RunMetrics {
  return { ...m, perLabel: { ...m.perLabel } }
}

export function toRunSummary(r: StoredRunSummary): RunSummary {
  const { perLabel: _perLabel, ...headline } = r.metrics
  return { id: r.id, createdAt: r.createdAt, backbone: r.backbone, config: { ...r.config }, metrics: headline }
}

export function toRunDetail(r: RunRecord): RunDetail {
  return {
    id: r.id,
    createdAt: r.createdAt,
    backbone: { id: r.backbone.id, name: r.backbone.name, featureLayers: [...r.backbone.featureLayers] },
    backend: r.backend,
    config: { ...r.config },
    labels: [...r.labels],
    groups: r.groups,
    thresholds: r.thresholds,
    history: r.history.map(toEpochStats),
    bestEpoch: r.bestEpoch,
    metrics: toRunMetrics(r.metrics),
    timings: { ...r.timings },
  }
}

export function toBackboneChoice(b: BackboneSpec): BackboneChoice {
  const choice: BackboneChoice = { id: b.id, name: b.name, source: b.source, inputSize: b.inputSize, featureLayers: [...b.featureLayers] }
  if (b.notes !== undefined) choice.notes = b.notes
  return choice
}
