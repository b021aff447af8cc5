// The engine's training records as the contract's shapes: no head weights and no per-label table in a
// summary. Epochs are EpochStats from the start (ml/train.ts), so they are copied, not converted.
import type { BackboneChoice, EpochStats, PresetChoice, RunDetail, RunMetrics, RunSummary } from '../../../src-preload/contract.ts'
import type { BackboneCatalog, BackboneEntry, PresetSpec } from '../ml/backbones/catalog.ts'
import { COLOUR_PART_NAME } from '../ml/parts/colour-designs.ts'
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
  return { id: r.id, createdAt: r.createdAt, backbone: r.backbone, preset: r.preset, config: { ...r.config }, metrics: headline, author: r.author }
}

export function toRunDetail(r: RunRecord): RunDetail {
  return {
    id: r.id,
    createdAt: r.createdAt,
    backbone: {
      id: r.backbone.id,
      name: r.backbone.name,
      featureLayers: [...r.backbone.featureLayers],
      preset: r.backbone.preset ?? null,
      parts: [r.backbone.name, ...(r.backbone.colour ? [COLOUR_PART_NAME] : []), ...(r.backbone.also ?? []).map((a) => a.name)],
    },
    backend: r.backend,
    config: { ...r.config },
    labels: [...r.labels],
    groups: r.groups,
    groupNames: r.groupNames ?? null,
    thresholds: r.thresholds,
    history: r.history.map(toEpochStats),
    bestEpoch: r.bestEpoch,
    metrics: toRunMetrics(r.metrics),
    timings: { ...r.timings },
    author: r.author,
  }
}

export function toPresetChoice(p: PresetSpec, catalog: BackboneCatalog): PresetChoice {
  const name = (id: string): string => catalog.backbones.find((b) => b.id === id)?.name ?? id
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    parts: [name(p.backbone), ...(p.colour ? [COLOUR_PART_NAME] : []), ...(p.also ?? []).map((a) => name(a.backbone))],
    head: { ...p.head },
  }
}

export function toBackboneChoice(b: BackboneEntry): BackboneChoice {
  const choice: BackboneChoice = { id: b.id, name: b.name, source: b.source, inputSize: b.inputSize, featureLayers: [...b.featureLayers] }
  if (b.notes !== undefined) choice.notes = b.notes
  return choice
}
