import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import type { HeadWeights } from '../head.ts'
import { INPUT_NAME } from '../onnx/convert.ts'
import { exportOnnxModel, type LinearHead } from '../onnx/export.ts'
import { sourceFromModelArtifacts, type LayersSource, type ModelArtifactsLike } from '../onnx/layers-source.ts'
import type { ModelCard } from './model-card.ts'
import { batchOf, cardInputs, inputsOfFiles } from './model-inputs.ts'

// The exported classifier as one ONNX file beside the TF.js model: the same backbone cut, standardisation,
// head and sigmoid, with the pixel normalisation inside the graph so it takes byte / 255. Checked with
// ONNX Runtime against the app's own probabilities on the same images as the TF.js model.

export const ONNX_FILE = 'model.onnx'

/** A further backbone of composite features: its model files and the layers it is cut at. */
export interface AlsoBackbone {
  artifacts: ModelArtifactsLike
  featureLayers: string[]
}

export interface OnnxFileRequest {
  dir: string
  artifacts: ModelArtifactsLike
  /** further backbones, in the order of the card's further image inputs */
  also?: readonly AlsoBackbone[]
  card: ModelCard
  head: HeadWeights
  runId: number
  /** the check images' files and the app's probabilities for them (n x labels) */
  files: readonly string[]
  want: Float32Array
  tolerance: number
  beforeConvert?: (source: LayersSource) => void
}

export interface OnnxFileResult {
  file: string
  images: number
  maxAbsDiff: number
  inputs: Array<{ name: string; for: string }>
}

/** Whether ONNX Runtime loads here: without it the folder is written without model.onnx. */
export async function onnxRuntimeLoads(): Promise<string | null> {
  try {
    await import('onnxruntime-node')
    return null
  } catch (err) {
    return `onnxruntime-node does not load: ${err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err)}`
  }
}

/** The run's head with standardisation as (x - mean) / std, which the ONNX graph computes. */
function linearHead(head: HeadWeights): LinearHead {
  return {
    ...(head.hidden ? { hidden: { kernel: head.hidden.kernel, bias: head.hidden.bias } } : {}),
    kernel: head.kernel,
    bias: head.bias,
    mean: head.mean,
    std: Float32Array.from(head.scale, (s) => 1 / s),
  }
}

/** Inputs of image files as the ONNX file takes them: images as byte / 255, colour statistics as they are. */
export function unitInputs(card: ModelCard, files: readonly string[]): Promise<Array<Float32Array[] | Error>> {
  return inputsOfFiles(card, files, 'unit')
}

/** The ONNX graph's input names, each with the model.json input it stands for: `input` for the first image. */
export function onnxInputNames(card: ModelCard): Array<{ name: string; for: string }> {
  return cardInputs(card).map((i, k) => ({ name: k === 0 ? INPUT_NAME : i.name, for: i.name }))
}

/**
 * Writes and checks `model.onnx` in `dir`. A check over the tolerance (or a runtime failure) throws and
 * leaves no file; a backbone the converter cannot take (a layer type it does not know) answers why
 * instead, and the folder goes without the ONNX file.
 */
export async function writeOnnxFile(req: OnnxFileRequest): Promise<OnnxFileResult | { skipped: string }> {
  const { card } = req
  const size = card.input.size
  const inputs = await unitInputs(card, req.files)
  const [pixels = new Float32Array(0), ...extra] = batchOf(
    inputs.map((p, i) => {
      if (p instanceof Error) throw new TagsmithError('INTERNAL', `cannot read ${req.files[i]} to check the ONNX export: ${p.message}`)
      return p
    }),
  )
  const described = cardInputs(card)
  const colour = described.find((i) => i.kind === 'colour')
  const images = described.slice(1).flatMap((i) => (i.kind === 'image' ? [i] : []))
  if (images.length !== (req.also ?? []).length) throw new TagsmithError('INTERNAL', 'ONNX export: the further backbones do not match the image inputs')
  const { normalisation } = card.input
  const source = sourceFromModelArtifacts(req.artifacts)
  req.beforeConvert?.(source)
  try {
    const result = await exportOnnxModel({
      source,
      ...(colour ? { colour: { name: colour.name, length: colour.shape[1] } } : {}),
      also: images.map((image, k) => ({
        source: sourceFromModelArtifacts((req.also?.[k] as AlsoBackbone).artifacts),
        featureLayers: (req.also?.[k] as AlsoBackbone).featureLayers,
        inputName: image.name,
        inputSize: [image.size, image.size],
        pixelNormalisation: image.normalisation,
      })),
      featureLayers: card.backbone.featureLayers,
      head: linearHead(req.head),
      labels: card.labels,
      pixelNormalisation: { mean: normalisation.mean, std: normalisation.std },
      inputSize: [size, size],
      metadata: {
        thresholds: card.thresholds,
        groups: card.groups,
        resize: card.input.resize,
        background: card.input.background,
        orientation: 'EXIF applied',
        runId: req.runId,
        backbone: { id: card.backbone.id, featureLayers: card.backbone.featureLayers },
        app: card.app,
      },
      file: path.join(req.dir, ONNX_FILE),
      check: { pixels, count: req.files.length, probabilities: req.want, extra },
      tolerance: req.tolerance,
    })
    return { file: ONNX_FILE, images: result.selfCheck.images, maxAbsDiff: result.selfCheck.maxAbsDiff, inputs: onnxInputNames(card) }
  } catch (err) {
    // The converter refuses what it cannot translate as BAD_INPUT or UNAVAILABLE, before any check.
    if (err instanceof TagsmithError && (err.code === 'BAD_INPUT' || err.code === 'UNAVAILABLE')) return { skipped: `the ONNX converter cannot take this backbone: ${err.message}` }
    const message = err instanceof Error ? err.message : String(err)
    throw new TagsmithError('INTERNAL', `the ONNX model failed its check (${message}); nothing was exported`)
  }
}
