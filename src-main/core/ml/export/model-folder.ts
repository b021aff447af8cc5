import fs from 'node:fs'
import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import { initBackend } from '../backend.ts'
import { openOnnxClassifier } from '../onnx/classifier.ts'
import { loadExportedModel, predictFiles, predictInBatches, type ImagePrediction } from './exported-model.ts'
import { readModelCard, type ModelCard } from './model-card.ts'
import { onnxInputNames, onnxRuntimeLoads, ONNX_FILE, unitInputs } from './onnx-file.ts'

// An exported model folder ready to label images, on either of its two models: model.onnx with ONNX
// Runtime (the faster, when the folder has it and the runtime loads here) or model.json with TF.js.

export type PredictEngine = 'onnx' | 'tfjs'
export const PREDICT_ENGINES: readonly PredictEngine[] = ['onnx', 'tfjs']

export interface ModelFolder {
  card: ModelCard
  /** the model that runs: 'onnx' (model.onnx) or 'tfjs' (model.json) */
  engine: PredictEngine
  predict(files: readonly string[]): Promise<ImagePrediction[]>
  dispose(): Promise<void>
}

/** Opens `dir` on `engine`; none named: ONNX when the folder has model.onnx and ONNX Runtime loads, else TF.js. */
export async function openModelFolder(dir: string, engine?: string): Promise<ModelFolder> {
  if (engine !== undefined && !PREDICT_ENGINES.includes(engine as PredictEngine)) {
    throw new TagsmithError('BAD_INPUT', `--engine: unknown engine '${engine}': choose onnx or tfjs`)
  }
  const card = readModelCard(dir)
  const onnxFile = path.join(dir, ONNX_FILE)
  const hasOnnx = Boolean(card.onnx) && fs.existsSync(onnxFile)
  if (engine === 'onnx') {
    if (!hasOnnx) throw new TagsmithError('BAD_INPUT', `${dir} has no ${ONNX_FILE} (exported with --no-onnx, or by an older version): use --engine tfjs or export again`)
    const missing = await onnxRuntimeLoads()
    if (missing) throw new TagsmithError('UNAVAILABLE', `cannot run ${ONNX_FILE}: ${missing}`)
  }
  const useOnnx = engine === 'onnx' || (engine === undefined && hasOnnx && (await onnxRuntimeLoads()) === null)
  if (useOnnx) return openOnnxFolder(card, onnxFile)
  await initBackend()
  const model = await loadExportedModel(dir)
  return {
    card: model.card,
    engine: 'tfjs',
    predict: (files) => predictFiles(model, files),
    dispose: async () => model.dispose(),
  }
}

async function openOnnxFolder(card: ModelCard, file: string): Promise<ModelFolder> {
  const classifier = await openOnnxClassifier(file, { worker: false })
  const size = card.input.size
  const sameLabels = classifier.labels.length === card.labels.length && classifier.labels.every((l, j) => l === card.labels[j])
  const sameInputs = JSON.stringify(classifier.extraInputs.map((i) => i.name)) === JSON.stringify(onnxInputNames(card).slice(1).map((i) => i.name))
  if (!sameLabels || !sameInputs || classifier.inputShape.height !== size || classifier.inputShape.width !== size || classifier.inputShape.channels !== 3) {
    await classifier.dispose()
    throw new TagsmithError('BAD_INPUT', `${file} does not match tagsmith.json beside it (labels, inputs or input size differ)`)
  }
  return {
    card,
    engine: 'onnx',
    predict: (files) => predictInBatches(card, files, unitInputs, ([pixels = new Float32Array(0), ...extra], n) => classifier.predict(pixels, n, extra)),
    dispose: () => classifier.dispose(),
  }
}
