import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { TagsmithError } from '../../errors.ts'

const normalisation = z.object({
  mean: z.tuple([z.number(), z.number(), z.number()]),
  std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
})

const backboneSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  name: z.string(),
  source: z.enum(['bundled', 'url', 'folder']),
  format: z.enum(['layers', 'graph']),
  bundled: z.object({ package: z.string(), dir: z.string() }).optional(),
  url: z.string().url().optional(),
  /** expected sha256 (hex) per file name; files not listed are pinned at first download */
  sha256: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)).optional(),
  folder: z.string().optional(),
  inputSize: z.number().int().positive(),
  /** applied to pixels scaled to [0, 1]: (x - mean) / std per channel */
  normalisation,
  featureLayers: z.array(z.string()).min(1),
  /** preprocessing version: bump when decoding or resizing changes, so cached features are recomputed */
  prep: z.number().int().positive(),
  notes: z.string().optional(),
})

/** A catalog entry: one model, cut at its feature layers. */
export type BackboneEntry = z.infer<typeof backboneSchema>

/**
 * What features are made of: a backbone cut (the primary part), optionally colour statistics of the
 * same decoded pixels and the taps of further bundled models, joined in that order.
 */
export type BackboneSpec = BackboneEntry & {
  /** a colour-statistics design (parts/colour-designs.ts), computed from the primary part's decode */
  colour?: string
  /** further models' taps, each decoded at its own size */
  also?: BackboneEntry[]
}

const presetSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9._-]+$/),
  name: z.string(),
  description: z.string(),
  backbone: z.string(),
  layers: z.array(z.string()).min(1).optional(),
  colour: z.string().optional(),
  also: z.array(z.object({ backbone: z.string(), layers: z.array(z.string()).min(1).optional() })).optional(),
  /** training settings the preset was measured with; a user's own settings still win */
  head: z
    .object({
      epochs: z.number().int().positive().optional(),
      learningRate: z.number().positive().optional(),
      l2: z.number().min(0).optional(),
      hiddenUnits: z.number().int().min(0).optional(),
      dropout: z.number().min(0).lt(1).optional(),
      earlyStopping: z.boolean().optional(),
      patience: z.number().int().min(1).optional(),
    })
    .optional(),
})

export type PresetSpec = z.infer<typeof presetSchema>

const catalogSchema = z.object({
  version: z.literal(1),
  /** the backbone a plain choice (no preset) and similarity searches start from */
  default: z.string(),
  backbones: z.array(backboneSchema),
  /** the preset one click trains with */
  defaultPreset: z.string(),
  presets: z.array(presetSchema).min(1),
})

export type BackboneCatalog = z.infer<typeof catalogSchema>

/** resources/ sits at the repository root in development; a packaged app passes its own path. */
export function defaultCatalogPath(): string {
  return process.env.TAGSMITH_BACKBONES ?? path.resolve(import.meta.dirname, '../../../../resources/backbones.json')
}

export function readCatalog(file = defaultCatalogPath()): BackboneCatalog {
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `cannot read backbone catalog ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const parsed = catalogSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new TagsmithError('BAD_INPUT', `backbone catalog ${file}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

export function parseBackboneSpec(value: unknown, where: string): BackboneSpec {
  const parsed = backboneSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new TagsmithError('BAD_INPUT', `${where}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`)
  }
  return parsed.data
}

/**
 * Resolve what the user asked for: a catalog id, or a folder holding a TF.js model.json. `layers`
 * overrides the feature layers (for folders it is the user's choice; for catalog entries an experiment).
 */
export function resolveBackbone(
  choice: string | undefined,
  opts: { layers?: string[]; catalog?: BackboneCatalog } = {},
): BackboneSpec {
  const catalog = opts.catalog ?? readCatalog()
  const wanted = choice ?? catalog.default
  const entry = catalog.backbones.find((b) => b.id === wanted)
  let spec: BackboneSpec
  if (entry) {
    spec = { ...entry }
  } else if (fs.existsSync(path.join(wanted, 'model.json'))) {
    spec = folderSpec(path.resolve(wanted), opts.layers ?? [])
  } else {
    const ids = catalog.backbones.map((b) => b.id).join(', ')
    throw new TagsmithError('BAD_INPUT', `unknown backbone "${wanted}": not a catalog id (${ids}) nor a folder with model.json`)
  }
  if (opts.layers && opts.layers.length > 0) spec.featureLayers = [...opts.layers]
  if (spec.featureLayers.length === 0) throw new TagsmithError('BAD_INPUT', `backbone ${spec.id}: choose at least one feature layer`)
  return spec
}

function folderSpec(dir: string, layers: string[]): BackboneSpec {
  let json: { format?: string; modelTopology?: { node?: unknown } }
  try {
    json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as typeof json
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `${path.join(dir, 'model.json')}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const isGraph = json.format === 'graph-model' || Array.isArray(json.modelTopology?.node)
  const settings = readFolderSettings(dir)
  return {
    id: `folder-${path.basename(dir).replace(/[^A-Za-z0-9._-]/g, '_')}`,
    name: `Custom model in ${path.basename(dir)}`,
    source: 'folder',
    format: isGraph ? 'graph' : 'layers',
    folder: dir,
    inputSize: settings.inputSize ?? 224,
    normalisation: settings.normalisation ?? { mean: [0, 0, 0], std: [1, 1, 1] },
    // An empty list means "the model's own outputs"; loading fills it in.
    featureLayers: layers.length > 0 ? layers : ['*outputs*'],
    prep: 1,
  }
}

/** An optional backbone.json beside model.json may state the input size and normalisation. */
function readFolderSettings(dir: string): { inputSize?: number; normalisation?: BackboneSpec['normalisation'] } {
  const file = path.join(dir, 'backbone.json')
  if (!fs.existsSync(file)) return {}
  let raw: unknown
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (err) {
    throw new TagsmithError('BAD_INPUT', `${file}: not readable JSON (${err instanceof Error ? err.message : String(err)})`)
  }
  const parsed = z
    .object({ inputSize: z.number().int().positive().optional(), normalisation: normalisation.optional() })
    .safeParse(raw)
  if (!parsed.success) throw new TagsmithError('BAD_INPUT', `${file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
  return parsed.data
}
