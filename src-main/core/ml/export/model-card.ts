import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { TagsmithError } from '../../errors.ts'
import type { Metrics } from '../metrics.ts'

// tagsmith.json: everything needed to turn the exported model's outputs into decisions, and to know
// where it came from. `tagsmith predict` reads only this file and the model files beside it.

export const CARD_FILE = 'tagsmith.json'
export const CARD_FORMAT = 'tagsmith-model'

const metricsSchema = z.custom<Metrics>(
  (v) => typeof v === 'object' && v !== null && typeof (v as { n?: unknown }).n === 'number' && typeof (v as { exactMatch?: unknown }).exactMatch === 'number',
  'expected metrics with n and exactMatch',
)

const normalisationSchema = z.object({ mean: z.tuple([z.number(), z.number(), z.number()]), std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]) })

/** An image input: an RGB image decoded to size x size, then normalised per channel. */
const imageInputSchema = z.looseObject({
  name: z.string().min(1),
  kind: z.literal('image'),
  shape: z.tuple([z.null(), z.int().positive(), z.int().positive(), z.literal(3)]),
  size: z.int().positive().max(4096),
  resize: z.enum(['fill', 'cover', 'contain']),
  normalisation: normalisationSchema,
  backbone: z.string(),
})

/** The colour-statistics input: computed by colour-statistics.mjs from another input's decoded bytes. */
const colourInputSchema = z.looseObject({
  name: z.string().min(1),
  kind: z.literal('colour'),
  shape: z.tuple([z.null(), z.int().positive()]),
  /** the image input whose decoded bytes (before normalisation) the statistics are computed from */
  from: z.string().min(1),
  module: z.literal('colour-statistics.mjs'),
  design: z.looseObject({
    name: z.string(),
    version: z.int(),
    parameters: z.object({
      grid: z.int().positive(),
      centre: z.number().min(0).max(1),
      rgbBins: z.int().positive(),
      hueBins: z.int().positive(),
      greyBins: z.int().positive(),
      greyBelow: z.number(),
      borderDistance: z.number().min(0),
      power: z.number(),
      layout: z.int().min(0),
    }),
  }),
})

export const modelInputSchema = z.discriminatedUnion('kind', [imageInputSchema, colourInputSchema])
export type ModelInputCard = z.infer<typeof modelInputSchema>
export type ImageInputCard = z.infer<typeof imageInputSchema>
export type ColourInputCard = z.infer<typeof colourInputSchema>

export const modelCardSchema = z
  .looseObject({
    format: z.literal(CARD_FORMAT),
    version: z.literal(1),
    model: z.looseObject({ file: z.literal('model.json'), format: z.literal('tfjs-layers-model'), output: z.literal('probabilities') }),
    labels: z.array(z.string().min(1)).min(1),
    thresholds: z.array(z.number().min(0).max(1)),
    groups: z.array(z.array(z.string()).min(2)),
    input: z.looseObject({
      size: z.int().positive().max(4096),
      layout: z.literal('NHWC'),
      channels: z.literal('RGB'),
      resize: z.enum(['fill', 'cover', 'contain']),
      background: z.string(),
      normalisation: normalisationSchema,
    }),
    // every input of model.json, in its order; absent in folders exported before composite features (one image input, `input`)
    inputs: z.array(modelInputSchema).min(1).optional(),
    backbone: z.looseObject({ id: z.string(), name: z.string(), source: z.string(), featureLayers: z.array(z.string()) }),
    // the Dense layers after the joined features; absent in folders exported before hidden layers existed (a linear head)
    head: z
      .looseObject({
        features: z.int().positive(),
        hidden: z.looseObject({ units: z.int().positive(), activation: z.literal('relu') }).nullable(),
        outputs: z.int().positive(),
        activation: z.literal('sigmoid'),
        shape: z.string(),
      })
      .optional(),
    training: z.looseObject({ runId: z.number(), trainedAt: z.string(), config: z.record(z.string(), z.unknown()) }),
    dataset: z.looseObject({ labelSnapshot: z.string() }),
    metrics: z.looseObject({ validation: metricsSchema, validationAtThresholds: metricsSchema.optional() }),
    app: z.looseObject({ name: z.string(), version: z.string() }),
    exportedAt: z.string(),
    // null only while the export is being checked, in its temporary folder
    check: z.looseObject({ images: z.int(), maxAbsDiff: z.number().nullable() }),
    // the same classifier as one ONNX file taking byte / 255; null (or absent) when not written
    onnx: z
      .looseObject({
        file: z.literal('model.onnx'),
        input: z.looseObject({ layout: z.literal('NHWC'), range: z.tuple([z.literal(0), z.literal(1)]) }),
        // the ONNX graph's inputs in order, each naming the model.json input it stands for; absent: one image input
        inputs: z.array(z.looseObject({ name: z.string().min(1), for: z.string().min(1) })).optional(),
        output: z.literal('probabilities'),
        check: z.looseObject({ images: z.int(), maxAbsDiff: z.number() }),
      })
      .nullable()
      .optional(),
    // why there is no ONNX file, when there is none
    onnxSkipped: z.string().optional(),
  })
  .superRefine((card, ctx) => {
    if (card.thresholds.length !== card.labels.length) {
      ctx.addIssue({ code: 'custom', path: ['thresholds'], message: `${card.thresholds.length} thresholds for ${card.labels.length} labels` })
    }
    const known = new Set(card.labels)
    const first = card.inputs?.[0]
    if (first && (first.kind !== 'image' || first.size !== card.input.size)) {
      ctx.addIssue({ code: 'custom', path: ['inputs', 0], message: 'the first input is the image `input` describes' })
    }
    const images = new Set(card.inputs?.flatMap((i) => (i.kind === 'image' ? [i.name] : [])))
    card.inputs?.forEach((i, k) => {
      if (i.kind === 'colour' && !images.has(i.from)) ctx.addIssue({ code: 'custom', path: ['inputs', k, 'from'], message: `no image input ${JSON.stringify(i.from)}` })
    })
    card.groups.forEach((g, i) => {
      const unknown = g.find((l) => !known.has(l))
      if (unknown !== undefined) ctx.addIssue({ code: 'custom', path: ['groups', i], message: `unknown label ${JSON.stringify(unknown)}` })
    })
  })

export type ModelCard = z.infer<typeof modelCardSchema>

export function writeModelCard(dir: string, card: ModelCard): string {
  fs.writeFileSync(path.join(dir, CARD_FILE), `${JSON.stringify(card, null, 2)}\n`)
  return CARD_FILE
}

export function readModelCard(dir: string): ModelCard {
  const file = path.join(dir, CARD_FILE)
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `cannot read ${file}: ${err instanceof Error ? err.message : String(err)} (is ${dir} an exported model folder?)`)
  }
  const parsed = modelCardSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new TagsmithError('BAD_INPUT', `${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}
