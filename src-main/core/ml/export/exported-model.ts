import { TagsmithError } from '../../errors.ts'
import { memoryHandler } from '../backbones/artifacts.ts'
import { decide, groupIndices } from '../decode.ts'
import { tf } from '../tf.ts'
import { readModelCard, type ModelCard } from './model-card.ts'
import { readModelFiles } from './model-files.ts'
import { batchOf, cardInputs, inputsOfFiles } from './model-inputs.ts'

// An exported model folder in use: nothing but tagsmith.json, model.json and the weight files (and the
// app's own colour statistics, the same function the folder's colour-statistics.mjs holds).

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
  const want = cardInputs(card)
  const inputs = model.inputs.map((i) => i.shape)
  const same = inputs.length === want.length && want.every((w, k) => JSON.stringify(inputs[k]) === JSON.stringify(w.shape))
  if (!same || inputs[0]?.[1] !== size) {
    model.dispose()
    throw new TagsmithError('BAD_INPUT', `the model in ${dir} takes ${JSON.stringify(inputs)}; tagsmith.json says ${JSON.stringify(want.map((w) => w.shape))}`)
  }
  return { card, model, dispose: () => model.dispose() }
}

/** Probabilities for a batch of n images' inputs (one array per input, in the card's order), n x labels. */
export async function probabilitiesOf(model: tf.LayersModel, card: ModelCard, inputs: readonly Float32Array[], n: number): Promise<Float32Array> {
  const shapes = cardInputs(card).map((i) => [n, ...i.shape.slice(1)] as number[])
  const y = tf.tidy(() => model.predict(inputs.map((x, k) => tf.tensor(x, shapes[k]))) as tf.Tensor)
  const data = (await y.data()) as Float32Array
  y.dispose()
  return data
}

/** Labels that hold for each image: per-label thresholds, each group decoded to its most probable label. */
export function decideLabels(card: ModelCard, probs: Float32Array, n: number): string[][] {
  const cols = card.labels.length
  const decisions = decide(probs, n, cols, { thresholds: card.thresholds, groups: groupIndices(card.labels, card.groups) })
  return Array.from({ length: n }, (_, r) => card.labels.filter((_, j) => decisions[r * cols + j] === 1))
}

/** Predicts image files in batches; an unreadable image is reported, never fatal. */
export async function predictFiles(m: ExportedModel, files: readonly string[]): Promise<ImagePrediction[]> {
  return predictInBatches(m.card, files, (card, batch) => inputsOfFiles(card, batch, 'model'), (inputs, n) => probabilitiesOf(m.model, m.card, inputs, n))
}

/**
 * Batches of image files through `input` (decode: every model input of each image) and `run` (n images'
 * inputs, one array per input -> n x labels), then the card's thresholds and groups. An unreadable image
 * is reported, never fatal.
 */
export async function predictInBatches(
  card: ModelCard,
  files: readonly string[],
  input: (card: ModelCard, files: readonly string[]) => Promise<Array<Float32Array[] | Error>>,
  run: (inputs: Float32Array[], n: number) => Promise<Float32Array>,
): Promise<ImagePrediction[]> {
  const cols = card.labels.length
  const out: ImagePrediction[] = []
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH)
    const inputs = await input(card, batch)
    const ok = inputs.flatMap((p, i) => (p instanceof Error ? [] : [i]))
    const probs = ok.length > 0 ? await run(batchOf(ok.map((i) => inputs[i] as Float32Array[])), ok.length) : new Float32Array(0)
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
