import path from 'node:path'
import type { Project } from '../../dataset/project.ts'
import type { BackboneEntry, BackboneSpec } from '../backbones/catalog.ts'
import { groupIndices } from '../decode.ts'
import { headShape, type HeadWeights } from '../head.ts'
import { labelMatrix } from '../label-matrix.ts'
import { computeMetrics, type Metrics } from '../metrics.ts'
import { colourDesign, colourDim } from '../parts/colour-designs.ts'
import { getPredictions } from '../run-predictions.ts'
import type { RunRecord } from '../runs.ts'
import { COLOUR_MODULE_FILE } from './colour-module.ts'
import { CARD_FORMAT, type ModelCard, type ModelInputCard } from './model-card.ts'
import { COLOUR_INPUT } from './pipeline-model.ts'

// tagsmith.json of an exported run: its inputs (names, shapes, how to compute each), labels,
// thresholds, groups, backbone parts, head, training and validation metrics.

/** The largest difference from the app's probabilities an export may show, in any engine. */
export const MAX_ABS_DIFF = 1e-4
/** model.json's (first) image input */
export const PRIMARY_INPUT = 'image'

/** A name fit for a layer: letters, digits and underscores. */
const layerSafe = (id: string): string => id.replace(/[^A-Za-z0-9_]/g, '_')

/** The model.json input names: `image`, then `image_<id>` for each further model. */
export function imageInputNames(spec: BackboneSpec): string[] {
  const names = [PRIMARY_INPUT]
  for (const other of spec.also ?? []) {
    let name = `image_${layerSafe(other.id)}`
    for (let k = 2; names.includes(name); k++) name = `image_${layerSafe(other.id)}_${k}`
    names.push(name)
  }
  return names
}

/** Every input of model.json as tagsmith.json describes it, in the model's order. */
function inputCards(spec: BackboneSpec, names: readonly string[]): ModelInputCard[] {
  const image = (model: BackboneEntry, name: string): ModelInputCard => ({
    name,
    kind: 'image',
    shape: [null, model.inputSize, model.inputSize, 3],
    size: model.inputSize,
    resize: 'fill',
    normalisation: { mean: [...model.normalisation.mean] as [number, number, number], std: [...model.normalisation.std] as [number, number, number] },
    formula: '(byte / 255 - mean[c]) / std[c]',
    backbone: model.id,
    featureLayers: [...model.featureLayers],
  })
  const primary = names[0] ?? PRIMARY_INPUT
  const inputs = [image(spec, primary)]
  if (spec.colour) {
    const named = colourDesign(spec.colour)
    inputs.push({
      name: COLOUR_INPUT,
      kind: 'colour',
      shape: [null, colourDim(spec.colour)],
      from: primary,
      module: COLOUR_MODULE_FILE,
      computedFrom: `computeColourStatistics(rgb, ${spec.inputSize}, design.parameters) of ${COLOUR_MODULE_FILE}, where rgb is the primary input's decoded bytes (before normalisation)`,
      design: { name: spec.colour, version: named.version, parameters: { ...named.design } },
    })
  }
  ;(spec.also ?? []).forEach((other, i) => inputs.push(image(other, names[i + 1] as string)))
  return inputs
}

/** Validation metrics at the run's current thresholds, from its stored validation probabilities. */
export function metricsAtThresholds(project: Project, run: RunRecord, thresholds: number[], groups: string[][]): Metrics | undefined {
  const stored = getPredictions(project.db, run.id, run.labels.length)
  if (!stored) return undefined
  const cols = run.labels.length
  const byId = new Map(project.imagesByIds(stored.imageIds).map((r) => [r.id, r]))
  const order = run.labels.map((l) => project.labels().indexOf(l))
  const probs: number[] = []
  const truth: Array<Array<0 | 1 | null>> = []
  stored.imageIds.forEach((id, i) => {
    const row = byId.get(id)
    if (stored.source[i] !== 'val' || !row) return
    probs.push(...stored.probs.subarray(i * cols, (i + 1) * cols))
    truth.push(order.map((k) => (k === -1 ? null : (row.labels[k] ?? null))))
  })
  if (truth.length === 0) return undefined
  return computeMetrics(Float32Array.from(probs), labelMatrix(truth, cols), run.labels, {
    thresholds,
    groups: groups.length > 0 ? groupIndices(run.labels, groups) : undefined,
  })
}

function backboneSource(spec: BackboneSpec): Record<string, unknown> {
  if (spec.source === 'url') return { url: spec.url }
  if (spec.source === 'bundled') return { package: spec.bundled?.package, dir: spec.bundled?.dir }
  return { folder: spec.folder ? path.basename(spec.folder) : undefined }
}

export function cardOf(
  run: RunRecord,
  spec: BackboneSpec,
  names: readonly string[],
  thresholds: number[],
  groups: string[][],
  atThresholds: Metrics | undefined,
  appVersion: string,
): ModelCard {
  return {
    format: CARD_FORMAT,
    version: 1,
    model: { file: 'model.json', format: 'tfjs-layers-model', output: 'probabilities' },
    labels: [...run.labels],
    thresholds,
    groups,
    input: {
      size: run.backbone.inputSize,
      layout: 'NHWC',
      channels: 'RGB',
      resize: 'fill',
      background: 'white',
      orientation: 'EXIF applied',
      normalisation: { mean: [...run.backbone.normalisation.mean] as [number, number, number], std: [...run.backbone.normalisation.std] as [number, number, number] },
      formula: '(byte / 255 - mean[c]) / std[c]',
    },
    inputs: inputCards(spec, names),
    backbone: {
      id: run.backbone.id,
      name: run.backbone.name,
      source: run.backbone.source,
      ...backboneSource(spec),
      featureLayers: [...run.backbone.featureLayers],
      featureKey: run.backbone.key,
      ...(run.backbone.preset ? { preset: run.backbone.preset } : {}),
      ...(spec.colour ? { colour: spec.colour } : {}),
      ...(spec.also ? { also: spec.also.map((a) => ({ id: a.id, name: a.name, featureLayers: [...a.featureLayers], inputSize: a.inputSize })) } : {}),
    },
    head: headCard(run.head),
    training: { runId: run.id, trainedAt: run.createdAt, config: { ...run.config }, backend: run.backend, epochs: run.history.length, bestEpoch: run.bestEpoch },
    dataset: { labelSnapshot: run.labelSnapshot },
    metrics: { validation: run.metrics, ...(atThresholds ? { validationAtThresholds: atThresholds } : {}) },
    app: { name: 'tagsmith', version: appVersion },
    exportedAt: new Date().toISOString(),
    check: { images: 0, maxAbsDiff: null, tolerance: MAX_ABS_DIFF },
  }
}

function headCard(head: HeadWeights): NonNullable<ModelCard['head']> {
  return {
    features: head.dim,
    hidden: head.hidden ? { units: head.hidden.units, activation: 'relu' } : null,
    outputs: head.numLabels,
    activation: 'sigmoid',
    shape: headShape(head),
  }
}
