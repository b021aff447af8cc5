import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import { decodeRgb, UNIT_RANGE, normalise } from '../../images/decode.ts'
import type { HeadWeights } from '../head.ts'
import { exportOnnxModel, type LinearHead } from '../onnx/export.ts'
import { sourceFromModelArtifacts, type LayersSource, type ModelArtifactsLike } from '../onnx/layers-source.ts'
import type { ModelCard } from './model-card.ts'

// The exported classifier as one ONNX file beside the TF.js model: the same backbone cut, standardisation,
// head and sigmoid, with the pixel normalisation inside the graph so it takes byte / 255. Checked with
// ONNX Runtime against the app's own probabilities on the same images as the TF.js model.

export const ONNX_FILE = 'model.onnx'

export interface OnnxFileRequest {
  dir: string
  artifacts: ModelArtifactsLike
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

/** Pixels of image files in [0, 1] as the ONNX file takes them (NHWC, the card's size and resize). */
export async function unitPixels(card: ModelCard, files: readonly string[]): Promise<Array<Float32Array | Error>> {
  const size = card.input.size
  return Promise.all(
    files.map(async (file) => {
      try {
        return normalise(await decodeRgb(file, { size, fit: card.input.resize }), UNIT_RANGE)
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err))
      }
    }),
  )
}

/**
 * Writes and checks `model.onnx` in `dir`. A check over the tolerance (or a runtime failure) throws and
 * leaves no file; a backbone the converter cannot take (a layer type it does not know) answers why
 * instead, and the folder goes without the ONNX file.
 */
export async function writeOnnxFile(req: OnnxFileRequest): Promise<OnnxFileResult | { skipped: string }> {
  const { card } = req
  const size = card.input.size
  const per = size * size * 3
  const inputs = await unitPixels(card, req.files)
  const pixels = new Float32Array(req.files.length * per)
  inputs.forEach((p, i) => {
    if (!(p instanceof Float32Array)) throw new TagsmithError('INTERNAL', `cannot read ${req.files[i]} to check the ONNX export: ${p.message}`)
    pixels.set(p, i * per)
  })
  const { normalisation } = card.input
  const source = sourceFromModelArtifacts(req.artifacts)
  req.beforeConvert?.(source)
  try {
    const result = await exportOnnxModel({
      source,
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
      check: { pixels, count: req.files.length, probabilities: req.want },
      tolerance: req.tolerance,
    })
    return { file: ONNX_FILE, images: result.selfCheck.images, maxAbsDiff: result.selfCheck.maxAbsDiff }
  } catch (err) {
    // The converter refuses what it cannot translate as BAD_INPUT or UNAVAILABLE, before any check.
    if (err instanceof TagsmithError && (err.code === 'BAD_INPUT' || err.code === 'UNAVAILABLE')) return { skipped: `the ONNX converter cannot take this backbone: ${err.message}` }
    const message = err instanceof Error ? err.message : String(err)
    throw new TagsmithError('INTERNAL', `the ONNX model failed its check (${message}); nothing was exported`)
  }
}
