// Feature and head variants on the apparel fixture (1,167 images): 5-fold cross-validation over
// train+val and the fixture's val split, exact match at 0.5 and grouped (colour, garment), plus the
// extraction rate of each preset (decode and colour statistics included). Slow (several minutes), so it
// runs only when named: npm run bench -- variants
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Project } from '../src-main/core/dataset/project.ts'
import { openDatabase } from '../src-main/core/db/open.ts'
import { decodeRgb } from '../src-main/core/images/decode.ts'
import { initBackend } from '../src-main/core/ml/backend.ts'
import { resolveBackbone, type BackboneSpec } from '../src-main/core/ml/backbones/catalog.ts'
import { resolveChoice } from '../src-main/core/ml/backbones/presets.ts'
import { prepVersion } from '../src-main/core/ml/extract.ts'
import { extractImages } from '../src-main/core/ml/extract-images.ts'
import { loadFeatureMatrix } from '../src-main/core/ml/feature-cache.ts'
import { labelMatrix } from '../src-main/core/ml/label-matrix.ts'
import { COLOUR_DESIGNS } from '../src-main/core/ml/parts/colour-designs.ts'
import { computeColourStatistics, type ColourDesign } from '../src-main/core/ml/parts/colour-statistics.ts'
import type { TrainConfig } from '../src-main/core/ml/train.ts'
import { extractable } from '../src-main/core/ml/train-run.ts'
import { columns, crossValidate, joined, type Features, type Fixture } from './variants/cross-validate.ts'

export const optIn = true

const TAPS = ['block_2_add', 'block_5_add', 'block_9_add', 'block_12_add', 'block_15_add']
// Channels of each tap of the bundled MobileNetV2, in the order extracted below.
const LAYERS: Array<[string, number]> = [
  ['block_2_add', 24],
  ['block_5_add', 32],
  ['block_9_add', 64],
  ['block_12_add', 96],
  ['block_15_add', 160],
  ['block_13_expand_relu', 576],
  ['out_relu', 1280],
]

const round = (v: number): number => Number((100 * v).toFixed(1))

function fixturesDir(): string {
  return process.env.TAGSMITH_FIXTURES ?? path.resolve(import.meta.dirname, '../..', 'shared/fixtures')
}

function taps(all: Features, names: readonly string[]): Features {
  const spans = names.map((name) => {
    let at = 0
    for (const [layer, dim] of LAYERS) {
      if (layer === name) return [at, dim] as const
      at += dim
    }
    throw new Error(`no tap ${name}`)
  })
  return columns(all, spans)
}

export async function bench(): Promise<Record<string, unknown>> {
  await initBackend()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-bench-variants-'))
  try {
    const fixture = path.join(fixturesDir(), 'apparel-mini')
    const { project } = await Project.importCsvs({ csvs: [path.join(fixture, 'train.csv'), path.join(fixture, 'val.csv')], projectFile: path.join(dir, 'apparel.tagsmith') })
    const rows = project.images()
    const labels = project.labels()
    const f: Fixture = {
      labels,
      y: labelMatrix(rows.map((r) => r.labels), labels.length),
      folder: rows.map((r) => r.path.split(/[\\/]/).slice(-2)[0] ?? ''),
      split: rows.map((r) => (r.split === 'val' ? 'val' : 'train')),
      groups: [
        [0, 1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
      ],
    }
    const images = extractable(project, rows)
    const hashes = rows.map((r) => r.hash ?? '')
    const rate = async (spec: BackboneSpec, file: string): Promise<number> => {
      const db = openDatabase(path.join(dir, file))
      try {
        const started = performance.now()
        const result = await extractImages(db, { spec, images })
        return result.computed / ((performance.now() - started) / 1000)
      } finally {
        db.close()
      }
    }
    const features = async (spec: BackboneSpec): Promise<Features> => {
      const { key } = await extractImages(project.db, { spec, images })
      const m = loadFeatureMatrix(project.db, key, prepVersion(spec), hashes)
      if (m.missing.size > 0) throw new Error(`${m.missing.size} fixture images have no ${key} features`)
      return m
    }
    // Each preset from nothing, on a fresh cache: what a first training run waits for.
    const defaultRate = await rate(resolveChoice({}).spec, 'default.tagsmith')
    const accurateRate = await rate(resolveChoice({ preset: 'accurate' }).spec, 'accurate.tagsmith')

    // Every tap measured, in the project's own cache, and InceptionV3 at both input scalings.
    const mobilenet = await features(resolveBackbone('nsfwjs-mobilenetv2', { layers: LAYERS.map(([l]) => l) }))
    const inceptionSpec = resolveBackbone('nsfwjs-inceptionv3', { layers: ['mixed2', 'mixed5'] })
    const inception = await features(inceptionSpec)
    // The same cut fed [0, 1] pixels, under its own cache key.
    const inceptionUnit = await features({ ...inceptionSpec, id: 'nsfwjs-inceptionv3-unit', normalisation: { mean: [0, 0, 0], std: [1, 1, 1] } })

    const decoded = await Promise.all(images.map((img) => decodeRgb(img.absPath, { size: 224 })))
    const colour = (design: ColourDesign): Features => {
      const stats = decoded.map((rgb) => computeColourStatistics(rgb, 224, design))
      const dim = stats[0]?.length ?? 0
      const x = new Float32Array(stats.length * dim)
      stats.forEach((s, i) => x.set(s, i * dim))
      return { x, dim }
    }
    const chosen = COLOUR_DESIGNS.histograms?.design
    if (!chosen) throw new Error('no histograms design')
    const plainDesign: ColourDesign = { ...chosen, borderDistance: 0, power: 1, layout: 0 }
    const base = taps(mobilenet, TAPS)
    const withColour = joined(base, colour(chosen))
    const before: Partial<TrainConfig> = { hiddenUnits: 0, l2: 1e-4, learningRate: 0.01, epochs: 40 }
    const linear: Partial<TrainConfig> = { hiddenUnits: 0, l2: 1e-3 }
    const preset = resolveChoice({}).head
    const variants: Array<[string, Features, Partial<TrainConfig>]> = [
      ['taps, linear (before)', base, before],
      ['taps + block_13_expand_relu, linear', taps(mobilenet, [...TAPS, 'block_13_expand_relu']), linear],
      ['taps + out_relu, linear', taps(mobilenet, [...TAPS, 'out_relu']), linear],
      ['taps + plain histograms, linear (before)', joined(base, colour(plainDesign)), before],
      ['taps + square-root histograms, linear', joined(base, colour({ ...plainDesign, power: 0.5 })), linear],
      ['taps + sqrt histograms, border-weighted, linear', joined(base, colour({ ...plainDesign, power: 0.5, borderDistance: chosen.borderDistance })), linear],
      ['taps + colour statistics (chosen), linear', withColour, linear],
      ['taps + colour statistics, hidden 32 (default)', withColour, preset],
      ['taps + colour statistics, hidden 64', withColour, { ...preset, hiddenUnits: 64 }],
      ['taps + colour statistics, hidden 128', withColour, { ...preset, hiddenUnits: 128 }],
      ['taps + colour statistics, hidden 32, early stopping', withColour, { ...preset, epochs: 100, earlyStopping: true, patience: 8 }],
      ['InceptionV3 mixed2+5 [-1,1], linear', inception, linear],
      ['InceptionV3 mixed2+5 [0,1], linear', inceptionUnit, linear],
      ['taps + colour + InceptionV3 (accurate), hidden 32', joined(withColour, inception), preset],
      ['taps + colour + InceptionV3 (accurate), linear', joined(withColour, inception), linear],
    ]
    const out: Record<string, unknown> = {
      'variants.defaultPreset.imagesPerSecond': Number(defaultRate.toFixed(1)),
      'variants.accuratePreset.imagesPerSecond': Number(accurateRate.toFixed(1)),
    }
    for (const [name, x, config] of variants) {
      const s = await crossValidate(f, x, config)
      out[`variants.${name}`] = { dim: x.dim, cv: `${round(s.cvExact)} / ${round(s.cvGrouped)}`, val: `${round(s.valExact)} / ${round(s.valGrouped)}` }
    }
    project.close()
    return out
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`)
}
