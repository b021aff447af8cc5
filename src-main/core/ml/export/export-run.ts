import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Project } from '../../dataset/project.ts'
import { TagsmithError } from '../../errors.ts'
import { memoryHandler } from '../backbones/artifacts.ts'
import type { BackboneSpec } from '../backbones/catalog.ts'
import { backboneArtifacts } from '../backbones/load.ts'
import { specOfStored } from '../backbones/presets.ts'
import { loadFeatureMatrix } from '../feature-cache.ts'
import { featureKeyOf, primaryOf } from '../feature-parts.ts'
import { predictProbabilities } from '../head.ts'
import { decodingGroups } from '../label-groups.ts'
import { colourDim } from '../parts/colour-designs.ts'
import { getRun, type RunRecord } from '../runs.ts'
import { tf } from '../tf.ts'
import { COLOUR_MODULE_FILE, colourModuleSource, importColourModule } from './colour-module.ts'
import { loadExportedModel, probabilitiesOf } from './exported-model.ts'
import { EXAMPLE_FILE, EXAMPLE_SOURCE, README_FILE, readmeText } from './folder-docs.ts'
import { writeModelCard } from './model-card.ts'
import { writeModelFiles } from './model-files.ts'
import { batchOf, cardInputs, inputsOfFiles, type ColourFunction } from './model-inputs.ts'
import type { LayersSource } from '../onnx/layers-source.ts'
import { onnxRuntimeLoads, ONNX_FILE, writeOnnxFile } from './onnx-file.ts'
import { buildPipelineModel, type PipelinePart } from './pipeline-model.ts'
import { canRenameLayers, inputLayerName, renameLayers } from './rename-layers.ts'
import { cardOf, imageInputNames, MAX_ABS_DIFF, metricsAtThresholds, PRIMARY_INPUT } from './run-card.ts'

// A run as a model folder that checks itself: written to a temporary folder beside the target,
// reloaded from disk and compared with the app's own probabilities (cached features -> head) on sample
// images, and renamed into place only when they agree.

export { MAX_ABS_DIFF, PRIMARY_INPUT }
export const CHECK_IMAGES = 16

export interface ExportRunOptions {
  runId?: number
  outDir: string
  appVersion: string
  cacheDir?: string
  /** images to check on (default 16) */
  checkImages?: number
  /** also write model.onnx, checked the same way (default true; skipped when ONNX Runtime does not load here) */
  onnx?: boolean
  onProgress?: (p: { phase: string; done: number; total: number }) => void
  signal?: AbortSignal
  /** called with the temporary folder once its files are written, before the check (tests damage it here) */
  beforeCheck?: (dir: string) => void
  /** called with the backbone as the ONNX converter reads it, before conversion (tests damage it here) */
  beforeOnnxConvert?: (source: LayersSource) => void
}

export interface ExportRunResult {
  out: string
  files: string[]
  maxAbsDiff: number
  /** model.onnx in `out` and its check; null when not written */
  onnx: { file: string; maxAbsDiff: number } | null
}

interface CheckImage {
  file: string
  hash: string
}

function sha256(file: string): string | null {
  try {
    return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex')
  } catch {
    return null
  }
}

/** Up to `count` images with cached features, spread over the project, whose files are unchanged. */
function checkImages(project: Project, run: RunRecord, count: number): Array<CheckImage & { features: Float32Array }> {
  const candidates = project.images().filter((r) => r.status === 'ok' && r.hash !== null)
  const features = loadFeatureMatrix(
    project.db,
    run.backbone.key,
    run.backbone.prep,
    candidates.map((r) => r.hash ?? ''),
  )
  const withFeatures = candidates.map((r, i) => ({ r, i })).filter(({ i }) => !features.missing.has(i))
  const step = Math.max(1, withFeatures.length / count)
  const out: Array<CheckImage & { features: Float32Array }> = []
  for (let k = 0; k < withFeatures.length && out.length < count; k++) {
    const pick = withFeatures[Math.floor(k * step)]
    if (!pick || out.some((o) => o.hash === pick.r.hash)) continue
    const file = project.imagePath(pick.r.id)
    if (!file || sha256(file) !== pick.r.hash) continue
    out.push({ file, hash: pick.r.hash ?? '', features: features.x.slice(pick.i * features.dim, (pick.i + 1) * features.dim) })
  }
  return out
}

function backboneSpecOf(run: RunRecord): BackboneSpec {
  const spec = specOfStored(run.backbone)
  if (featureKeyOf(spec) !== run.backbone.key) {
    throw new TagsmithError('CONFLICT', `backbone ${run.backbone.id} changed since run ${run.id} was trained: train again before exporting`)
  }
  for (const model of [spec, ...(spec.also ?? [])]) {
    if (model.format !== 'layers') {
      throw new TagsmithError('UNAVAILABLE', `backbone ${model.id} is a graph model; only layers-model backbones export as one TF.js layers model`)
    }
  }
  return spec
}

interface LoadedBackbones {
  primary: tf.LayersModel
  primaryArtifacts: tf.io.ModelArtifacts
  also: Array<PipelinePart & { artifacts: tf.io.ModelArtifacts }>
  dispose(): void
}

/**
 * The primary backbone with its input renamed `image`, and each further model renamed apart (its layers
 * prefixed with its id, its input `image_<id>`), so all of them fit one graph.
 */
async function loadBackbones(spec: BackboneSpec, names: readonly string[], opts: ExportRunOptions): Promise<LoadedBackbones> {
  const models: tf.LayersModel[] = []
  const dispose = (): void => models.forEach((m) => m.dispose())
  try {
    const primaryArtifacts = (await backboneArtifacts(primaryOf(spec), { cacheDir: opts.cacheDir, signal: opts.signal })).artifacts
    // A Sequential model (a custom folder) keeps its own input name; it is never joined with another.
    const renamed = canRenameLayers(primaryArtifacts) ? renameLayers(primaryArtifacts, (n) => (n === inputLayerName(primaryArtifacts) ? PRIMARY_INPUT : n)) : primaryArtifacts
    const primary = await tf.loadLayersModel(memoryHandler(renamed))
    models.push(primary)
    const also: LoadedBackbones['also'] = []
    for (const [i, other] of (spec.also ?? []).entries()) {
      const { artifacts } = await backboneArtifacts(other, { cacheDir: opts.cacheDir, signal: opts.signal })
      const input = inputLayerName(artifacts)
      const name = names[i + 1] as string
      const prefix = `${name.slice('image_'.length)}_`
      const model = await tf.loadLayersModel(memoryHandler(renameLayers(artifacts, (n) => (n === input ? name : `${prefix}${n}`))))
      models.push(model)
      also.push({ model, featureLayers: other.featureLayers.map((l) => `${prefix}${l}`), id: other.id, artifacts })
    }
    return { primary, primaryArtifacts, also, dispose }
  } catch (err) {
    dispose()
    throw err
  }
}

/** Moves the checked folder to `outDir`: an empty folder or an earlier export there is replaced. */
function moveIntoPlace(tmp: string, outDir: string): void {
  const stat = fs.statSync(outDir, { throwIfNoEntry: false })
  if (!stat) {
    fs.renameSync(tmp, outDir)
    return
  }
  if (!stat.isDirectory()) throw new TagsmithError('CONFLICT', `${outDir} is a file; choose a folder`)
  const entries = fs.readdirSync(outDir)
  if (entries.length === 0) {
    fs.rmdirSync(outDir)
    fs.renameSync(tmp, outDir)
    return
  }
  if (!entries.includes('tagsmith.json')) throw new TagsmithError('CONFLICT', `${outDir} is not empty and holds no earlier model export; choose an empty or new folder`)
  const old = `${tmp}-replaced`
  fs.renameSync(outDir, old)
  fs.renameSync(tmp, outDir)
  fs.rmSync(old, { recursive: true, force: true })
}

export async function exportRun(project: Project, opts: ExportRunOptions): Promise<ExportRunResult> {
  const run = getRun(project.db, opts.runId)
  const spec = backboneSpecOf(run)
  const groups = decodingGroups(project, run)
  const thresholds = run.thresholds ?? run.labels.map(() => 0.5)
  const count = opts.checkImages ?? CHECK_IMAGES
  const sample = checkImages(project, run, count)
  if (sample.length === 0) throw new TagsmithError('BAD_INPUT', `no image with features for run ${run.id} to check the export on`)
  const throwIfCancelled = (): void => {
    if (opts.signal?.aborted) throw new TagsmithError('CANCELLED', 'model export cancelled')
  }
  const wantOnnx = opts.onnx ?? true
  const onnxSkipped = wantOnnx ? await onnxRuntimeLoads() : 'exported without it on request'
  const steps = wantOnnx && onnxSkipped === null ? 5 : 4
  opts.onProgress?.({ phase: 'load backbone', done: 0, total: steps })
  const names = imageInputNames(spec)
  const backbones = await loadBackbones(spec, names, opts)
  const outDir = path.resolve(opts.outDir)
  fs.mkdirSync(path.dirname(outDir), { recursive: true })
  const tmp = fs.mkdtempSync(path.join(path.dirname(outDir), `.${path.basename(outDir)}.export-`))
  // mkdtemp makes a private folder; the export is an ordinary one.
  fs.chmodSync(tmp, 0o777 & ~process.umask())
  try {
    throwIfCancelled()
    opts.onProgress?.({ phase: 'write', done: 1, total: steps })
    const colourLength = spec.colour ? colourDim(spec.colour) : 0
    const pipeline = buildPipelineModel(backbones.primary, run.backbone.featureLayers, run.head, spec.id, { colourLength, also: backbones.also })
    const modelFiles = await writeModelFiles(pipeline, tmp)
    if (spec.colour) fs.writeFileSync(path.join(tmp, COLOUR_MODULE_FILE), colourModuleSource())
    // The model's inputs by their names in model.json: the primary's is its own when it could not be renamed.
    const inputNames = [backbones.primary.inputs[0]?.sourceLayer.name ?? PRIMARY_INPUT, ...names.slice(1)]
    const card = cardOf(run, spec, inputNames, thresholds, groups, metricsAtThresholds(project, run, thresholds, groups), opts.appVersion)
    writeModelCard(tmp, card)
    opts.beforeCheck?.(tmp)
    throwIfCancelled()

    opts.onProgress?.({ phase: 'check', done: 2, total: steps })
    const want = appProbabilities(run, sample)
    const maxAbsDiff = await selfCheck(tmp, sample, want)
    if (!(maxAbsDiff < MAX_ABS_DIFF)) {
      throw new TagsmithError('INTERNAL', `the written model disagrees with the app on ${sample.length} images (largest difference ${maxAbsDiff}, allowed ${MAX_ABS_DIFF}); nothing was exported`)
    }
    card.check = { images: sample.length, maxAbsDiff, tolerance: MAX_ABS_DIFF }
    let onnx: ExportRunResult['onnx'] = null
    card.onnx = null
    if (onnxSkipped === null) {
      throwIfCancelled()
      opts.onProgress?.({ phase: 'onnx', done: 3, total: steps })
      const files = sample.map((s) => s.file)
      const also = backbones.also.map((a) => ({ artifacts: a.artifacts, featureLayers: spec.also?.find((o) => o.id === a.id)?.featureLayers ?? [] }))
      const written = await writeOnnxFile({ dir: tmp, artifacts: backbones.primaryArtifacts, also, card, head: run.head, runId: run.id, files, want, tolerance: MAX_ABS_DIFF, beforeConvert: opts.beforeOnnxConvert })
      if ('skipped' in written) card.onnxSkipped = written.skipped
      else {
        card.onnx = {
          file: ONNX_FILE,
          input: { layout: 'NHWC', range: [0, 1], formula: 'byte / 255' },
          inputs: written.inputs,
          output: 'probabilities',
          check: { images: written.images, maxAbsDiff: written.maxAbsDiff, tolerance: MAX_ABS_DIFF },
        }
        onnx = { file: written.file, maxAbsDiff: written.maxAbsDiff }
      }
    } else {
      card.onnxSkipped = onnxSkipped
    }
    writeModelCard(tmp, card)
    fs.writeFileSync(path.join(tmp, README_FILE), readmeText(card, modelFiles.slice(1)))
    fs.writeFileSync(path.join(tmp, EXAMPLE_FILE), EXAMPLE_SOURCE)
    throwIfCancelled()
    opts.onProgress?.({ phase: 'move', done: steps - 1, total: steps })
    moveIntoPlace(tmp, outDir)
    opts.onProgress?.({ phase: 'move', done: steps, total: steps })
    const files = [...modelFiles, 'tagsmith.json', README_FILE, EXAMPLE_FILE, ...(spec.colour ? [COLOUR_MODULE_FILE] : []), ...(onnx ? [ONNX_FILE] : [])]
    return { out: outDir, files, maxAbsDiff, onnx }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true })
    throw err
  } finally {
    backbones.dispose()
  }
}

/** The app's probabilities of the sample: the run's head on their cached features. */
function appProbabilities(run: RunRecord, sample: ReadonlyArray<CheckImage & { features: Float32Array }>): Float32Array {
  const dim = run.head.dim
  const features = new Float32Array(sample.length * dim)
  sample.forEach((s, i) => features.set(s.features, i * dim))
  return predictProbabilities(run.head, features, sample.length)
}

/**
 * Largest difference between the folder's model on the sample's image files and the app's probabilities
 * `want`. The colour input is computed with the folder's own colour-statistics.mjs, as predict.mjs does.
 */
async function selfCheck(dir: string, sample: readonly CheckImage[], want: Float32Array): Promise<number> {
  let exported
  try {
    exported = await loadExportedModel(dir)
  } catch (err) {
    throw new TagsmithError('INTERNAL', `the written model does not load back: ${err instanceof Error ? err.message : String(err)}; nothing was exported`)
  }
  try {
    const { card } = exported
    const colour = cardInputs(card).some((i) => i.kind === 'colour') ? await folderColour(dir) : undefined
    const inputs = await inputsOfFiles(card, sample.map((s) => s.file), 'model', colour)
    const ok = inputs.map((p, i) => {
      if (p instanceof Error) throw new TagsmithError('INTERNAL', `cannot read ${sample[i]?.file} to check the export: ${p.message}`)
      return p
    })
    const got = await probabilitiesOf(exported.model, card, batchOf(ok), sample.length)
    return maxAbsDifference(got, want)
  } finally {
    exported.dispose()
  }
}

async function folderColour(dir: string): Promise<ColourFunction> {
  try {
    return await importColourModule(dir)
  } catch (err) {
    throw new TagsmithError('INTERNAL', `the written ${COLOUR_MODULE_FILE} does not load back: ${err instanceof Error ? err.message : String(err)}; nothing was exported`)
  }
}

function maxAbsDifference(got: Float32Array, want: Float32Array): number {
  if (got.length !== want.length) return Number.POSITIVE_INFINITY
  let max = 0
  for (let k = 0; k < want.length; k++) {
    const d = Math.abs((got[k] as number) - (want[k] as number))
    // NaN (a broken weight) must fail the check, never pass it.
    max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : Math.max(max, d)
  }
  return max
}
