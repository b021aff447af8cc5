// Predicting with an exported classifier file: pixels in [0, 1] (NHWC, at the size its metadata
// states) in, one probability per label out. The same code path runs the export's self-check.
import fs from 'node:fs'
import { TagsmithError } from '../../errors.ts'
import { openOnnxExtractor, type OnnxEngineOptions } from './engine.ts'
import { readOnnxMetadata } from './onnx-metadata.ts'

export interface OnnxClassifier {
  labels: string[]
  inputShape: { height: number; width: number; channels: number }
  /** every metadata entry, JSON-decoded where it is JSON */
  metadata: Record<string, unknown>
  /** the graph's inputs after the image (colour statistics, further images), from its metadata */
  extraInputs: Array<{ name: string; shape: number[] }>
  /**
   * `pixels`: count × height × width × channels floats in [0, 1]; `extra`: count images' values of each
   * further input, in `extraInputs` order. Returns count × labels probabilities.
   */
  predict(pixels: Float32Array, count: number, extra?: readonly Float32Array[]): Promise<Float32Array>
  dispose(): Promise<void>
}

export async function openOnnxClassifier(file: string, engine: OnnxEngineOptions = {}): Promise<OnnxClassifier> {
  let bytes: Uint8Array
  try {
    bytes = fs.readFileSync(file)
  } catch (err) {
    throw new TagsmithError('NOT_FOUND', `cannot read model ${file}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const raw = readOnnxMetadata(bytes)
  if (raw.format !== 'tagsmith-classifier') throw new TagsmithError('BAD_INPUT', `${file} is not a Tagsmith classifier export`)
  const metadata: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(raw)) {
    try {
      metadata[k] = JSON.parse(v)
    } catch {
      metadata[k] = v
    }
  }
  const labels = metadata.labels
  const input = metadata.input as { height?: unknown; width?: unknown; channels?: unknown } | undefined
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) throw new TagsmithError('BAD_INPUT', `${file}: metadata has no label list`)
  const { height, width, channels } = input ?? {}
  if (typeof height !== 'number' || typeof width !== 'number' || typeof channels !== 'number') {
    throw new TagsmithError('BAD_INPUT', `${file}: metadata has no input size`)
  }
  const inputShape = { height, width, channels }
  const extraInputs = extraInputsOf(metadata.inputs, file)
  const run = await openOnnxExtractor({ model: bytes, inputShape, inputLayout: 'NHWC', featureLength: labels.length, outputName: 'probabilities', extraInputs }, engine)
  return {
    labels: labels as string[],
    inputShape,
    extraInputs,
    metadata,
    predict: (pixels, count, extra) => run.run(pixels, count, { extra }),
    dispose: () => run.dispose(),
  }
}

/** Inputs after the first, from the `inputs` metadata entry (absent: the image is the only input). */
function extraInputsOf(inputs: unknown, file: string): Array<{ name: string; shape: number[] }> {
  if (inputs === undefined) return []
  const ok =
    Array.isArray(inputs) &&
    inputs.every((i) => typeof i === 'object' && i !== null && typeof (i as { name?: unknown }).name === 'string' && Array.isArray((i as { shape?: unknown }).shape))
  if (!ok) throw new TagsmithError('BAD_INPUT', `${file}: metadata "inputs" is not a list of named inputs with shapes`)
  return (inputs as Array<{ name: string; shape: unknown[] }>).slice(1).map((i) => {
    if (!i.shape.every((d) => Number.isInteger(d) && (d as number) > 0)) throw new TagsmithError('BAD_INPUT', `${file}: input ${i.name} has no fixed shape`)
    return { name: i.name, shape: i.shape as number[] }
  })
}
