import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { memoryHandler } from '../../../src-main/core/ml/backbones/artifacts.ts'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { decide, groupIndices } from '../../../src-main/core/ml/decode.ts'
import { loadFeatureMatrix } from '../../../src-main/core/ml/feature-cache.ts'
import { predictProbabilities } from '../../../src-main/core/ml/head.ts'
import { exportRun } from '../../../src-main/core/ml/export/export-run.ts'
import { loadExportedModel, predictFiles } from '../../../src-main/core/ml/export/exported-model.ts'
import { readModelCard } from '../../../src-main/core/ml/export/model-card.ts'
import { readModelFiles } from '../../../src-main/core/ml/export/model-files.ts'
import { openModelFolder } from '../../../src-main/core/ml/export/model-folder.ts'
import { openOnnxClassifier } from '../../../src-main/core/ml/onnx/classifier.ts'
import { trainProject } from '../../../src-main/core/jobs/train-project.ts'
import { getRun, setRunThresholds } from '../../../src-main/core/ml/runs.ts'
import type { LayersSource } from '../../../src-main/core/ml/onnx/layers-source.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'
import { copyFixtureSubset, tempDir } from './helpers.ts'

// A run on 40 train + 20 val apparel images with the bundled MobileNetV2, exported as a TF.js folder.
const GROUPS = [
  ['black', 'blue', 'brown', 'green', 'red', 'white'],
  ['dress', 'shirt', 'pants', 'shorts', 'shoes'],
]
// Classes TF.js layers knows without custom code: layers, and the initialisers their configs name.
const BUILT_IN = new Set([
  ...['Model', 'InputLayer', 'Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'ReLU', 'Activation', 'ZeroPadding2D', 'Add', 'GlobalAveragePooling2D', 'Concatenate', 'Dense'],
  ...['VarianceScaling', 'GlorotUniform', 'Zeros', 'Ones', 'Constant'],
])

let dir: string
let project: Project
let runId: number

function listDir(d: string): string[] {
  return fs.readdirSync(d).sort()
}

beforeAll(async () => {
  dir = tempDir('export')
  copyFixtureSubset(dir, 'train.csv', 40)
  copyFixtureSubset(dir, 'val.csv', 20)
  const file = path.join(dir, 'apparel.tagsmith')
  project = (await Project.importCsvs({ csvs: [path.join(dir, 'train.csv'), path.join(dir, 'val.csv')], projectFile: file })).project
  project.setSetting('groups', GROUPS)
  runId = (await trainProject(project, { config: { epochs: 5, seed: 2 }, folds: 0 })).runId
  // Thresholds that differ per label, so their order in tagsmith.json matters.
  setRunThresholds(project.db, runId, project.labels().map((_, j) => 0.3 + 0.04 * j))
  await initBackend()
}, 300_000)

afterAll(() => {
  project?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('model export', () => {
  it('writes a folder of plain TF.js layers whose probabilities match the app within 1e-4, and describes the run', async () => {
    const out = path.join(dir, 'exports', 'model')
    const result = await exportRun(project, { runId, outDir: out, appVersion: '9.8.7' })
    expect(result.out).toBe(out)
    expect(result.maxAbsDiff).toBeLessThan(1e-4)
    expect(listDir(out)).toEqual([...result.files].sort())
    expect(result.files).toEqual(expect.arrayContaining(['model.json', 'tagsmith.json', 'README.md', 'predict.mjs', 'model.onnx']))
    expect(result.onnx).toEqual({ file: 'model.onnx', maxAbsDiff: expect.any(Number) })
    expect(result.onnx?.maxAbsDiff).toBeLessThan(1e-4)
    expect(listDir(path.join(dir, 'exports'))).toEqual(['model'])

    const topology = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')) as { modelTopology: { model_config?: unknown } }
    const classes = new Set([...JSON.stringify(topology.modelTopology).matchAll(/"class_name":"(\w+)"/g)].map((m) => m[1]))
    expect([...classes].filter((c) => c !== undefined && !BUILT_IN.has(c))).toEqual([])
    // Plain tf.loadLayersModel over the folder's files: an image in, one probability per label out.
    const model = await tf.loadLayersModel(memoryHandler(readModelFiles(out)))
    expect(model.inputs[0]?.shape).toEqual([null, 224, 224, 3])
    expect(model.outputs[0]?.shape).toEqual([null, 11])
    model.dispose()

    const run = getRun(project.db, runId)
    const card = readModelCard(out)
    expect(card).toMatchObject({
      labels: run.labels,
      thresholds: run.thresholds,
      groups: GROUPS,
      input: { size: 224, resize: 'fill', normalisation: { mean: [0, 0, 0], std: [1, 1, 1] } },
      backbone: { id: 'nsfwjs-mobilenetv2', featureLayers: run.backbone.featureLayers },
      training: { runId, config: run.config },
      dataset: { labelSnapshot: run.labelSnapshot },
      app: { name: 'tagsmith', version: '9.8.7' },
      check: { images: 16, maxAbsDiff: result.maxAbsDiff },
      onnx: { file: 'model.onnx', input: { layout: 'NHWC', range: [0, 1] }, output: 'probabilities', check: { images: 16, maxAbsDiff: result.onnx?.maxAbsDiff } },
    })
    // The ONNX file carries what turns its outputs into decisions.
    const onnx = await openOnnxClassifier(path.join(out, 'model.onnx'), { worker: false, threads: 1 })
    expect(onnx.labels).toEqual(run.labels)
    expect(onnx.inputShape).toEqual({ height: 224, width: 224, channels: 3 })
    expect(onnx.metadata).toMatchObject({ thresholds: run.thresholds, groups: GROUPS, resize: 'fill', runId, featureLayers: run.backbone.featureLayers })
    await onnx.dispose()
    expect(card.metrics.validation.exactMatch).toBe(run.metrics.exactMatch)
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8')
    expect(readme).toContain('tf.loadLayersModel')
    expect(readme).toContain('## ONNX')
  })

  it('predicts from the folder alone like the app: probabilities within 1e-4, thresholds and groups applied', async () => {
    const out = path.join(dir, 'exports', 'model')
    const run = getRun(project.db, runId)
    const val = project.images().filter((r) => r.split === 'val')
    const exported = await loadExportedModel(out)
    const results = await predictFiles(
      exported,
      val.map((r) => project.imagePath(r.id) ?? ''),
    )
    exported.dispose()
    // The app's own probabilities of these images: the run's head on cached features (evaluate's path).
    const f = loadFeatureMatrix(project.db, run.backbone.key, run.backbone.prep, val.map((r) => r.hash ?? ''))
    const want = predictProbabilities(run.head, f.x, val.length)
    const decisions = decide(want, val.length, 11, { thresholds: run.thresholds ?? undefined, groups: groupIndices(run.labels, GROUPS) })
    results.forEach((r, i) => {
      if ('error' in r) throw new Error(r.error)
      for (let j = 0; j < 11; j++) expect(Math.abs((r.probs[j] as number) - (want[i * 11 + j] as number))).toBeLessThan(1e-4)
      expect(r.labels).toEqual(run.labels.filter((_, j) => decisions[i * 11 + j] === 1))
      expect(r.labels).toHaveLength(2) // one colour, one garment
    })
  })

  it('predicts on both engines: ONNX Runtime and TF.js agree within 1e-4 and with the app, decisions alike', async () => {
    const out = path.join(dir, 'exports', 'model')
    const run = getRun(project.db, runId)
    const val = project.images().filter((r) => r.split === 'val').slice(0, 8)
    const files = val.map((r) => project.imagePath(r.id) ?? '')
    const f = loadFeatureMatrix(project.db, run.backbone.key, run.backbone.prep, val.map((r) => r.hash ?? ''))
    const want = predictProbabilities(run.head, f.x, val.length)
    const byEngine: Record<string, Awaited<ReturnType<Awaited<ReturnType<typeof openModelFolder>>['predict']>>> = {}
    for (const engine of [undefined, 'tfjs'] as const) {
      const folder = await openModelFolder(out, engine)
      byEngine[folder.engine] = await folder.predict(files)
      await folder.dispose()
    }
    // No engine named: the folder's ONNX file runs.
    expect(Object.keys(byEngine).sort()).toEqual(['onnx', 'tfjs'])
    const onnx = byEngine.onnx ?? []
    const tfjs = byEngine.tfjs ?? []
    expect(onnx).toHaveLength(val.length)
    onnx.forEach((r, i) => {
      const t = tfjs[i]
      if ('error' in r || !t || 'error' in t) throw new Error('unreadable fixture image')
      for (let j = 0; j < 11; j++) {
        expect(Math.abs((r.probs[j] as number) - (t.probs[j] as number))).toBeLessThan(1e-4)
        expect(Math.abs((r.probs[j] as number) - (want[i * 11 + j] as number))).toBeLessThan(1e-4)
      }
      expect(r.labels).toEqual(t.labels)
    })
    await expect(openModelFolder(out, 'pytorch')).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/onnx or tfjs/) })
  })

  it('fails the ONNX check and leaves nothing behind when the converted backbone is off', async () => {
    const out = path.join(dir, 'exports', 'bad-onnx')
    // A converter that mistook one weight: the last depthwise kernel before the first feature layer, doubled.
    const damage = (source: LayersSource): void => {
      const layer = [...source.weights.entries()].find(([name, w]) => name.includes('depthwise') && w.has('depthwise_kernel'))
      const kernel = layer?.[1].get('depthwise_kernel')
      if (!kernel) throw new Error('no depthwise layer')
      for (let k = 0; k < kernel.data.length; k++) kernel.data[k] = (kernel.data[k] as number) * 2
    }
    await expect(exportRun(project, { runId, outDir: out, appVersion: '1', checkImages: 2, beforeOnnxConvert: damage })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/ONNX model failed its check \(ONNX export self-check failed: probabilities differ .*\); nothing was exported/),
    })
    expect(listDir(path.join(dir, 'exports'))).toEqual(['model'])
  })

  it('fails the check and leaves nothing behind when a weight file is damaged after writing', async () => {
    const out = path.join(dir, 'exports', 'damaged')
    const flip = (tmp: string): void => {
      const shard = path.join(tmp, 'group1-shard2of2.bin')
      const bytes = fs.readFileSync(shard)
      // Scale the last weights (the head's) by flipping a high exponent bit of a few floats.
      for (let k = bytes.length - 4; k > bytes.length - 400; k -= 4) bytes[k + 3] = (bytes[k + 3] as number) ^ 0x40
      fs.writeFileSync(shard, bytes)
    }
    await expect(exportRun(project, { runId, outDir: out, appVersion: '1', beforeCheck: flip })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/disagrees with the app .* nothing was exported/),
    })
    const truncate = (tmp: string): void => fs.truncateSync(path.join(tmp, 'group1-shard2of2.bin'), 1000)
    await expect(exportRun(project, { runId, outDir: out, appVersion: '1', beforeCheck: truncate })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/does not load back/),
    })
    expect(listDir(path.join(dir, 'exports'))).toEqual(['model'])
  })

  it('replaces an earlier export, refuses a folder holding other files', async () => {
    const out = path.join(dir, 'exports', 'model')
    fs.writeFileSync(path.join(out, 'stale.txt'), 'from before')
    const tfOnly = await exportRun(project, { runId, outDir: out, appVersion: '1', checkImages: 2, onnx: false })
    expect(tfOnly.onnx).toBeNull()
    expect(listDir(out)).not.toContain('model.onnx')
    await expect(openModelFolder(out, 'onnx')).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no model\.onnx/) })
    expect(listDir(out)).not.toContain('stale.txt')
    expect(readModelCard(out).check.images).toBe(2)
    const other = path.join(dir, 'exports', 'other')
    fs.mkdirSync(other)
    fs.writeFileSync(path.join(other, 'notes.txt'), 'mine')
    await expect(exportRun(project, { runId, outDir: other, appVersion: '1', checkImages: 2 })).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(listDir(other)).toEqual(['notes.txt'])
    expect(listDir(path.join(dir, 'exports'))).toEqual(['model', 'other'])
  })

  it('exports a run whose head has a hidden layer: TF.js and ONNX both within 1e-4 of the app, the card names the shape', async () => {
    // The backbone cut alone: the head is what this checks.
    const hiddenRun = (await trainProject(project, { backbone: 'nsfwjs-mobilenetv2', config: { epochs: 5, seed: 3, hiddenUnits: 24, dropout: 0.2 }, folds: 0 })).runId
    const run = getRun(project.db, hiddenRun)
    expect(run.head.hidden?.units).toBe(24)
    const out = path.join(dir, 'exports-hidden', 'model')
    const result = await exportRun(project, { runId: hiddenRun, outDir: out, appVersion: '1' })
    expect(result.maxAbsDiff).toBeLessThan(1e-4)
    expect(result.onnx?.maxAbsDiff).toBeLessThan(1e-4)
    const card = readModelCard(out)
    expect(card.check.images).toBe(16)
    expect(card.head).toEqual({ features: run.head.dim, hidden: { units: 24, activation: 'relu' }, outputs: 11, activation: 'sigmoid', shape: `${run.head.dim} -> 24 relu -> 11 sigmoid` })
    expect(card.training).toMatchObject({ config: { hiddenUnits: 24, dropout: 0.2 } })
    expect(fs.readFileSync(path.join(out, 'README.md'), 'utf8')).toContain('a Dense layer of 24 ReLU units')
    const model = await tf.loadLayersModel(memoryHandler(readModelFiles(out)))
    expect(model.getLayer('tagsmith_hidden').outputShape).toEqual([null, 24])
    model.dispose()

    // Both engines on images the check did not pick, against the app's own probabilities.
    const val = project.images().filter((r) => r.split === 'val').slice(0, 6)
    const f = loadFeatureMatrix(project.db, run.backbone.key, run.backbone.prep, val.map((r) => r.hash ?? ''))
    const want = predictProbabilities(run.head, f.x, val.length)
    for (const engine of ['onnx', 'tfjs'] as const) {
      const folder = await openModelFolder(out, engine)
      const got = await folder.predict(val.map((r) => project.imagePath(r.id) ?? ''))
      await folder.dispose()
      got.forEach((r, i) => {
        if ('error' in r) throw new Error(r.error)
        for (let j = 0; j < 11; j++) expect(Math.abs((r.probs[j] as number) - (want[i * 11 + j] as number))).toBeLessThan(1e-4)
      })
    }
  })
})
