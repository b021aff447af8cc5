import { TagsmithError } from '../../errors.ts'
import { decodeRgb, normalise } from '../../images/decode.ts'
import { memoryHandler } from '../backbones/artifacts.ts'
import { decide, groupIndices } from '../decode.ts'
import { tf } from '../tf.ts'
import { readModelCard, type ModelCard } from './model-card.ts'
import { readModelFiles } from './model-files.ts'

// An exported model folder in use: nothing but tagsmith.json, model.json and the weight files.

export interface ExportedModel {
  card: ModelCard
  model: tf.LayersModel
  dispose(): void
}

export type ImagePrediction = { file: string; probs: Float32Array; labels: string[] } | { file: string; error: string }

const BATCH = 8

export async function loadExportedModel(dir: string): Promise<ExportedModel> {
  const card = readModelCard(dir)
  let model: tf.LayersModel
  try {
    model = await tf.loadLayersModel(memoryHandler(readModelFiles(dir)))
  } catch (err) {
    if (err instanceof TagsmithError) throw err
    throw new TagsmithError('BAD_INPUT', `cannot load the model in ${dir}: ${err instanceof Error ? err.message : String(err)}`)
  }
  const out = model.outputs[0]?.shape
  const size = card.input.size
  if (out?.[1] !== card.labels.length) {
    model.dispose()
    throw new TagsmithError('BAD_INPUT', `the model in ${dir} has ${String(out?.[1])} outputs; tagsmith.json names ${card.labels.length} labels`)
  }
  const input = model.inputs[0]?.shape
  if (input?.[1] !== size || input[2] !== size || input[3] !== 3) {
    model.dispose()
    throw new TagsmithError('BAD_INPUT', `the model in ${dir} takes ${JSON.stringify(input)}; tagsmith.json says ${size}x${size}x3`)
  }
  return { card, model, dispose: () => model.dispose() }
}

/** Probabilities for a batch of normalised pixels (n x size x size x 3), n x labels. */
export async function probabilitiesOf(model: tf.LayersModel, pixels: Float32Array, n: number, size: number): Promise<Float32Array> {
  const y = tf.tidy(() => model.predict(tf.tensor4d(pixels, [n, size, size, 3])) as tf.Tensor)
  const data = (await y.data()) as Float32Array
  y.dispose()
  return data
}

/** Pixels of image files as the exported model takes them (its card's size, resize and normalisation). */
export async function modelInput(card: ModelCard, files: readonly string[]): Promise<Array<Float32Array | Error>> {
  const size = card.input.size
  return Promise.all(
    files.map(async (file) => {
      try {
        const rgb = await decodeRgb(file, { size, fit: card.input.resize })
        return normalise(rgb, card.input.normalisation)
      } catch (err) {
        return err instanceof Error ? err : new Error(String(err))
      }
    }),
  )
}

/** Labels that hold for each image: per-label thresholds, each group decoded to its most probable label. */
export function decideLabels(card: ModelCard, probs: Float32Array, n: number): string[][] {
  const cols = card.labels.length
  const decisions = decide(probs, n, cols, { thresholds: card.thresholds, groups: groupIndices(card.labels, card.groups) })
  return Array.from({ length: n }, (_, r) => card.labels.filter((_, j) => decisions[r * cols + j] === 1))
}

/** Predicts image files in batches; an unreadable image is reported, never fatal. */
export async function predictFiles(m: ExportedModel, files: readonly string[]): Promise<ImagePrediction[]> {
  const size = m.card.input.size
  return predictInBatches(m.card, files, modelInput, (pixels, n) => probabilitiesOf(m.model, pixels, n, size))
}

/**
 * Batches of image files through `input` (decode) and `run` (n images of size x size x 3 -> n x labels),
 * then the card's thresholds and groups. An unreadable image is reported, never fatal.
 */
export async function predictInBatches(
  card: ModelCard,
  files: readonly string[],
  input: (card: ModelCard, files: readonly string[]) => Promise<Array<Float32Array | Error>>,
  run: (pixels: Float32Array, n: number) => Promise<Float32Array>,
): Promise<ImagePrediction[]> {
  const size = card.input.size
  const per = size * size * 3
  const cols = card.labels.length
  const out: ImagePrediction[] = []
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH)
    const inputs = await input(card, batch)
    const ok = inputs.flatMap((p, i) => (p instanceof Float32Array ? [i] : []))
    const pixels = new Float32Array(ok.length * per)
    ok.forEach((i, k) => pixels.set(inputs[i] as Float32Array, k * per))
    const probs = ok.length > 0 ? await run(pixels, ok.length) : new Float32Array(0)
    const labels = decideLabels(card, probs, ok.length)
    batch.forEach((file, i) => {
      const k = ok.indexOf(i)
      const image = inputs[i]
      if (k === -1) out.push({ file, error: image instanceof Error ? image.message : 'unreadable' })
      else out.push({ file, probs: probs.slice(k * cols, (k + 1) * cols), labels: labels[k] ?? [] })
    })
  }
  return out
}
