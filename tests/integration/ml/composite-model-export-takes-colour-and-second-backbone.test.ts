import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { memoryHandler } from '../../../src-main/core/ml/backbones/artifacts.ts'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { exportRun } from '../../../src-main/core/ml/export/export-run.ts'
import { readModelCard } from '../../../src-main/core/ml/export/model-card.ts'
import { readModelFiles } from '../../../src-main/core/ml/export/model-files.ts'
import { openModelFolder } from '../../../src-main/core/ml/export/model-folder.ts'
import { loadFeatureMatrix } from '../../../src-main/core/ml/feature-cache.ts'
import { predictProbabilities } from '../../../src-main/core/ml/head.ts'
import { openOnnxClassifier } from '../../../src-main/core/ml/onnx/classifier.ts'
import { colourDim } from '../../../src-main/core/ml/parts/colour-designs.ts'
import { trainProject } from '../../../src-main/core/jobs/train-project.ts'
import { getRun, type RunRecord } from '../../../src-main/core/ml/runs.ts'
import { tf } from '../../../src-main/core/ml/tf.ts'
import { copyFixtureSubset, tempDir, writeTinyModel } from './helpers.ts'

// Composite features exported: the default preset (MobileNetV2 taps + colour statistics, hidden layer)
// and the Accurate one (+ InceptionV3 on its own 299x299 input), on a few fixture images.
const GROUPS = [
  ['black', 'blue', 'brown', 'green', 'red', 'white'],
  ['dress', 'shirt', 'pants', 'shorts', 'shoes'],
]
const repoRoot = path.resolve(import.meta.dirname, '..', '..', '..')
const COLOUR_LENGTH = colourDim('histograms')

let dir: string
let project: Project
let runId: number
let valFiles: string[]

function node(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err && typeof err.code === 'number' ? err.code : err ? -1 : 0, stdout, stderr })
    })
  })
}

/** The app's own probabilities of project images: the run's head on their cached (composite) features. */
function appProbabilities(p: Project, run: RunRecord, files: readonly string[]): Float32Array {
  const rows = p.images().filter((r) => files.includes(p.imagePath(r.id) ?? ''))
  const ordered = files.map((f) => rows.find((r) => p.imagePath(r.id) === f)?.hash ?? '')
  const features = loadFeatureMatrix(p.db, run.backbone.key, run.backbone.prep, ordered)
  expect(features.missing.size).toBe(0)
  return predictProbabilities(run.head, features.x, files.length)
}

function maxDiff(rows: ReadonlyArray<{ probs: Float32Array | Record<string, number> } | { error: string }>, want: Float32Array, labels: readonly string[]): number {
  let max = 0
  rows.forEach((r, i) => {
    if ('error' in r) throw new Error(r.error)
    labels.forEach((label, j) => {
      const p = r.probs instanceof Float32Array ? (r.probs[j] as number) : (r.probs[label] as number)
      max = Math.max(max, Math.abs(p - (want[i * labels.length + j] as number)))
    })
  })
  return max
}

beforeAll(async () => {
  dir = tempDir('export-composite')
  copyFixtureSubset(dir, 'train.csv', 30)
  valFiles = copyFixtureSubset(dir, 'val.csv', 12)
  const file = path.join(dir, 'apparel.tagsmith')
  project = (await Project.importCsvs({ csvs: [path.join(dir, 'train.csv'), path.join(dir, 'val.csv')], projectFile: file })).project
  project.setSetting('groups', GROUPS)
  runId = (await trainProject(project, { preset: 'default', config: { epochs: 4, seed: 5 }, folds: 0 })).runId
  await initBackend()
}, 300_000)

afterAll(() => {
  project?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('composite model export', () => {
  it('takes the image and its colour statistics in TF.js and ONNX, both within 1e-4 of the app, and documents each input', async () => {
    const run = getRun(project.db, runId)
    expect(run.backbone).toMatchObject({ preset: 'default', colour: 'histograms' })
    expect(run.head.hidden).toBeTruthy()
    const out = path.join(dir, 'exports', 'default')
    const result = await exportRun(project, { runId, outDir: out, appVersion: '1.2.3' })
    console.log(`default preset export: TF.js max |diff| ${result.maxAbsDiff.toExponential(2)}, ONNX ${result.onnx?.maxAbsDiff.toExponential(2)}`)
    expect(result.maxAbsDiff).toBeLessThan(1e-4)
    expect(result.onnx?.maxAbsDiff).toBeLessThan(1e-4)
    expect(fs.readdirSync(out).sort()).toEqual([...result.files].sort())
    expect(result.files).toContain('colour-statistics.mjs')

    const card = readModelCard(out)
    expect(card.inputs?.map((i) => [i.name, i.kind, i.shape])).toEqual([
      ['image', 'image', [null, 224, 224, 3]],
      ['colour', 'colour', [null, COLOUR_LENGTH]],
    ])
    expect(card.inputs?.[1]).toMatchObject({ from: 'image', module: 'colour-statistics.mjs', design: { name: 'histograms', version: 1, parameters: { grid: 48 } } })
    expect(card.backbone).toMatchObject({ preset: 'default', colour: 'histograms', featureKey: run.backbone.key })
    expect(card.head?.features).toBe(run.head.dim)
    expect(card.onnx?.inputs).toEqual([
      { name: 'input', for: 'image' },
      { name: 'colour', for: 'colour' },
    ])

    const json = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')) as { modelTopology: { config: { input_layers: unknown[][] } } }
    expect(json.modelTopology.config.input_layers.map((l) => l[0])).toEqual(['image', 'colour'])
    const model = await tf.loadLayersModel(memoryHandler(readModelFiles(out)))
    expect(model.inputs.map((i) => i.shape)).toEqual([
      [null, 224, 224, 3],
      [null, COLOUR_LENGTH],
    ])
    model.dispose()
    const onnx = await openOnnxClassifier(path.join(out, 'model.onnx'), { worker: false, threads: 1 })
    expect(onnx.extraInputs).toEqual([{ name: 'colour', shape: [COLOUR_LENGTH] }])
    await onnx.dispose()
    const readme = fs.readFileSync(path.join(out, 'README.md'), 'utf8')
    expect(readme).toContain('`colour-statistics.mjs`')
    expect(readme).toMatch(/takes 2 inputs/)
    // The module is plain JavaScript the folder needs nothing else for.
    expect(fs.readFileSync(path.join(out, 'colour-statistics.mjs'), 'utf8')).toMatch(/^export function computeColourStatistics\(/m)
  })

  it('predicts from the folder on both engines, through predict.mjs and tagsmith predict like the app', async () => {
    const run = getRun(project.db, runId)
    const out = path.join(dir, 'exports', 'default')
    const files = valFiles.slice(0, 6)
    const want = appProbabilities(project, run, files)
    for (const engine of ['onnx', 'tfjs'] as const) {
      const folder = await openModelFolder(out, engine)
      const got = await folder.predict(files)
      await folder.dispose()
      const diff = maxDiff(got, want, run.labels)
      console.log(`openModelFolder ${engine}: max |diff| ${diff.toExponential(2)}`)
      expect(diff).toBeLessThan(1e-4)
    }

    // predict.mjs finds @tensorflow/tfjs and sharp through a node_modules beside the folder.
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
    const example = await node([path.join(out, 'predict.mjs'), ...files, '--json'], dir)
    expect(example.code).toBe(0)
    const rows = JSON.parse(example.stdout) as Array<{ file: string; labels: string[]; probs: Record<string, number> }>
    const exampleDiff = maxDiff(rows, want, run.labels)
    console.log(`predict.mjs: max |diff| ${exampleDiff.toExponential(2)}`)
    expect(exampleDiff).toBeLessThan(1e-4)

    const cli = await node([path.join(repoRoot, 'bin', 'tagsmith.mjs'), 'predict', out, ...files, '--json'], repoRoot)
    expect(cli.code).toBe(0)
    const cliRows = JSON.parse(cli.stdout) as Array<{ file: string; labels: string[]; probs: Record<string, number>; engine: string }>
    expect(cliRows.map((r) => r.engine)).toEqual(files.map(() => 'onnx'))
    expect(maxDiff(cliRows, want, run.labels)).toBeLessThan(1e-4)
    expect(cliRows.map((r) => r.labels)).toEqual(rows.map((r) => r.labels))
  }, 120_000)

  it('fails the check and leaves no folder when the colour input is off: an altered colour-statistics.mjs, a design changed in tagsmith.json', async () => {
    const exports = path.join(dir, 'exports')
    const before = fs.readdirSync(exports).sort()
    const alterModule = (tmp: string): void => {
      const file = path.join(tmp, 'colour-statistics.mjs')
      // Square roots become plain shares: every colour value moves.
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\*\* ?d\.power/, '** (d.power * 2)'))
    }
    await expect(exportRun(project, { runId, outDir: path.join(exports, 'bad-module'), appVersion: '1', checkImages: 4, onnx: false, beforeCheck: alterModule })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/disagrees with the app .* nothing was exported/),
    })
    const alterDesign = (tmp: string): void => {
      const card = JSON.parse(fs.readFileSync(path.join(tmp, 'tagsmith.json'), 'utf8')) as { inputs: Array<{ design?: { parameters: { borderDistance: number } } }> }
      const design = card.inputs[1]?.design
      if (!design) throw new Error('no colour input')
      design.parameters.borderDistance = 30
      fs.writeFileSync(path.join(tmp, 'tagsmith.json'), JSON.stringify(card))
    }
    await expect(exportRun(project, { runId, outDir: path.join(exports, 'bad-design'), appVersion: '1', checkImages: 4, onnx: false, beforeCheck: alterDesign })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/disagrees with the app/),
    })
    const removeModule = (tmp: string): void => fs.rmSync(path.join(tmp, 'colour-statistics.mjs'))
    await expect(exportRun(project, { runId, outDir: path.join(exports, 'no-module'), appVersion: '1', checkImages: 4, onnx: false, beforeCheck: removeModule })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: expect.stringMatching(/colour-statistics\.mjs does not load back/),
    })
    expect(fs.readdirSync(exports).sort()).toEqual(before)
  })

  it('still exports a run on a Sequential model folder alone: one image input under its own name', async () => {
    const modelDir = path.join(dir, 'tiny-model')
    await writeTinyModel(modelDir)
    const id = (await trainProject(project, { backbone: modelDir, layers: ['conv_a', 'conv_b'], config: { epochs: 2 }, folds: 0 })).runId
    const out = path.join(dir, 'exports-tiny', 'model')
    const result = await exportRun(project, { runId: id, outDir: out, appVersion: '1', checkImages: 4 })
    expect(result.maxAbsDiff).toBeLessThan(1e-4)
    expect(result.files).not.toContain('colour-statistics.mjs')
    const card = readModelCard(out)
    const json = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8')) as { modelTopology: { config: { input_layers: unknown[][] } } }
    expect(card.inputs?.map((i) => [i.name, i.shape])).toEqual([[json.modelTopology.config.input_layers[0]?.[0], [null, 16, 16, 3]]])
  })

  it('exports an Accurate run (InceptionV3 on a 299x299 input beside MobileNetV2 and colour): TF.js and ONNX (both backbones in one graph) pass their checks and predict like the app', async () => {
    const small = tempDir('export-accurate')
    try {
      copyFixtureSubset(small, 'train.csv', 8)
      const val = copyFixtureSubset(small, 'val.csv', 4)
      const p = (await Project.importCsvs({ csvs: [path.join(small, 'train.csv'), path.join(small, 'val.csv')], projectFile: path.join(small, 'a.tagsmith') })).project
      try {
        const id = (await trainProject(p, { preset: 'accurate', config: { epochs: 2, seed: 1 }, folds: 0 })).runId
        const run = getRun(p.db, id)
        expect(run.backbone.also?.map((a) => a.id)).toEqual(['nsfwjs-inceptionv3'])
        const out = path.join(small, 'model')
        const result = await exportRun(p, { runId: id, outDir: out, appVersion: '1', checkImages: 4 })
        console.log(`accurate preset export: TF.js max |diff| ${result.maxAbsDiff.toExponential(2)}, ONNX ${result.onnx ? result.onnx.maxAbsDiff.toExponential(2) : 'not written'}`)
        expect(result.maxAbsDiff).toBeLessThan(1e-4)
        const card = readModelCard(out)
        expect(card.inputs?.map((i) => [i.name, i.shape])).toEqual([
          ['image', [null, 224, 224, 3]],
          ['colour', [null, COLOUR_LENGTH]],
          ['image_nsfwjs_inceptionv3', [null, 299, 299, 3]],
        ])
        expect(card.inputs?.[2]).toMatchObject({ kind: 'image', backbone: 'nsfwjs-inceptionv3', normalisation: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] } })
        // The converter takes InceptionV3 too: both backbones in one ONNX graph, each on its own input.
        expect(result.onnx?.maxAbsDiff).toBeLessThan(1e-4)
        expect(card.onnx?.inputs?.map((i) => i.name)).toEqual(['input', 'colour', 'image_nsfwjs_inceptionv3'])
        const want = appProbabilities(p, run, val)
        for (const engine of ['onnx', 'tfjs'] as const) {
          const folder = await openModelFolder(out, engine)
          const diff = maxDiff(await folder.predict(val), want, run.labels)
          await folder.dispose()
          console.log(`accurate, openModelFolder ${engine}: max |diff| ${diff.toExponential(2)}`)
          expect(diff).toBeLessThan(1e-4)
        }
      } finally {
        p.close()
      }
    } finally {
      fs.rmSync(small, { recursive: true, force: true })
    }
  }, 300_000)
})
