// The trained classifier as one .onnx file: pixels in [0, 1] -> backbone cut (joined with a colour
// input and further backbones' cuts, for composite features) -> standardisation ->
// Dense head (Gemm, or Gemm -> Relu -> Gemm with a hidden layer) -> sigmoid. Labels, thresholds, groups and preprocessing travel in the file's metadata.
// Written to a temporary name, reloaded with ONNX Runtime and checked against a reference before it
// takes its final name, so a file that exists is a file that works.
import fs from 'node:fs'
import path from 'node:path'
import { TagsmithError } from '../../errors.ts'
import { buildBackboneGraph, convertBackbone, CONVERTER_VERSION, INPUT_NAME } from './convert.ts'
import { openOnnxExtractor } from './engine.ts'
import type { LayersSource } from './layers-source.ts'
import { int } from './graph-builder.ts'
import { encodeModel, type OnnxModel, type OnnxValueInfo } from './onnx-proto.ts'
import { openOnnxClassifier } from './classifier.ts'

/** A trained head as the run record keeps it: D features, an optional hidden ReLU layer of H units, L labels. */
export interface LinearHead {
  /** D × H and H biases, row-major, as a Dense kernel */
  hidden?: { kernel: Float32Array; bias: Float32Array }
  /** D × L (H × L after a hidden layer), row-major (input-major), as a Dense kernel */
  kernel: Float32Array
  bias: Float32Array
  /** training-set statistics the features are standardised with: (x - mean) / std */
  mean: Float32Array
  std: Float32Array
}

export interface ExportOnnxRequest {
  source: LayersSource
  featureLayers: string[]
  head: LinearHead
  labels: string[]
  /** per-channel normalisation of [0, 1] pixels the backbone expects (default none) */
  pixelNormalisation?: { mean: readonly number[]; std: readonly number[] }
  inputSize?: [number, number]
  /** a graph input of this many values per image (colour statistics), joined after the backbone's features */
  colour?: { name: string; length: number }
  /** further backbones, each on an image input of its own, their features joined after the colour input */
  also?: ReadonlyArray<{
    source: LayersSource
    featureLayers: string[]
    inputName: string
    inputSize?: [number, number]
    pixelNormalisation?: { mean: readonly number[]; std: readonly number[] }
  }>
  /** anything else that must travel with the model (thresholds, groups, resize fit, run id...), stored as JSON */
  metadata?: Record<string, unknown>
  file: string
  /**
   * Images to check the written file on (NHWC, [0, 1]) and what it must answer: `probabilities`
   * from the TF.js model, or `features` (e.g. from the feature cache) from which the head's
   * answer is computed here. Without them, a few synthetic images are checked against the
   * backbone cut run alone plus the head computed here in double precision.
   */
  check?: { pixels: Float32Array; count: number; probabilities?: Float32Array; features?: Float32Array; extra?: readonly Float32Array[] }
  tolerance?: number
}

export interface ExportOnnxResult {
  file: string
  bytes: number
  inputShape: { height: number; width: number; channels: number }
  featureLength: number
  selfCheck: { images: number; maxAbsDiff: number; tolerance: number }
}

export const LOGITS_NAME = 'logits'
export const PROBABILITIES_NAME = 'probabilities'

export async function exportOnnxModel(req: ExportOnnxRequest): Promise<ExportOnnxResult> {
  const L = req.labels.length
  const extraNames = [...(req.colour ? [req.colour.name] : []), ...(req.also ?? []).map((a) => a.inputName)]
  const b = buildBackboneGraph(req.source, {
    featureLayers: req.featureLayers,
    inputLayout: 'NHWC',
    ...(req.inputSize ? { inputSize: req.inputSize } : {}),
    ...(req.pixelNormalisation ? { pixelNormalisation: req.pixelNormalisation } : {}),
    reserve: [LOGITS_NAME, PROBABILITIES_NAME, ...extraNames],
  })
  const g = b.g
  const { height, width, channels } = b.inputShape
  // Composite features, in the order they were cached: the backbone's, the colour input, each further model's.
  const graphInputs: OnnxValueInfo[] = [{ name: INPUT_NAME, shape: ['batch', height, width, channels] }]
  const described: Array<Record<string, unknown>> = [{ name: INPUT_NAME, shape: [height, width, channels], range: [0, 1], pixelNormalisation: req.pixelNormalisation ?? null }]
  const parts = [b.features]
  let D = b.featureLength
  if (req.colour) {
    g.shapes.set(req.colour.name, [req.colour.length])
    graphInputs.push({ name: req.colour.name, shape: ['batch', req.colour.length] })
    described.push({ name: req.colour.name, shape: [req.colour.length] })
    parts.push(req.colour.name)
    D += req.colour.length
  }
  for (const other of req.also ?? []) {
    const o = buildBackboneGraph(
      other.source,
      {
        featureLayers: other.featureLayers,
        inputLayout: 'NHWC',
        ...(other.inputSize ? { inputSize: other.inputSize } : {}),
        ...(other.pixelNormalisation ? { pixelNormalisation: other.pixelNormalisation } : {}),
      },
      { g, inputName: other.inputName },
    )
    const s = o.inputShape
    graphInputs.push({ name: other.inputName, shape: ['batch', s.height, s.width, s.channels] })
    described.push({ name: other.inputName, shape: [s.height, s.width, s.channels], range: [0, 1], pixelNormalisation: other.pixelNormalisation ?? null })
    parts.push(o.features)
    D += o.featureLength
  }
  checkHead(req.head, D, L)
  const joined = parts.length === 1 ? b.features : g.op('Concat', parts, 'features_joined', [D], [int('axis', 1)])
  const centred = g.op('Sub', [joined, g.constant('feature_mean', [D], req.head.mean)], 'features_centred', [D])
  const standard = g.op('Div', [centred, g.constant('feature_std', [D], req.head.std)], 'features_standardised', [D])
  const hidden = req.head.hidden
  const H = hidden?.bias.length ?? D
  const inputs = hidden
    ? g.op('Relu', [g.op('Gemm', [standard, g.constant('hidden_kernel', [D, H], hidden.kernel), g.constant('hidden_bias', [H], hidden.bias)], 'hidden_linear', [H])], 'hidden', [H])
    : standard
  const logits = g.opNamed('Gemm', [inputs, g.constant('head_kernel', [H, L], req.head.kernel), g.constant('head_bias', [L], req.head.bias)], LOGITS_NAME, [L])
  g.opNamed('Sigmoid', [logits], PROBABILITIES_NAME, [L])

  const model: OnnxModel = {
    producerName: 'tagsmith',
    producerVersion: String(CONVERTER_VERSION),
    graph: g.toGraph(
      'classifier',
      graphInputs,
      [
        { name: LOGITS_NAME, shape: ['batch', L] },
        { name: PROBABILITIES_NAME, shape: ['batch', L] },
      ],
    ),
    metadata: {
      format: 'tagsmith-classifier',
      labels: JSON.stringify(req.labels),
      featureLayers: JSON.stringify(req.featureLayers),
      input: JSON.stringify({ layout: 'NHWC', height, width, channels, range: [0, 1], pixelNormalisation: req.pixelNormalisation ?? null }),
      ...(graphInputs.length > 1 ? { inputs: JSON.stringify(described) } : {}),
      ...Object.fromEntries(Object.entries(req.metadata ?? {}).map(([k, v]) => [k, JSON.stringify(v)])),
    },
  }
  const bytes = encodeModel(model)

  const tolerance = req.tolerance ?? 1e-4
  const check: NonNullable<ExportOnnxRequest['check']> = req.check ?? syntheticCheck(height, width, channels)
  if (graphInputs.length > 1 && !check.extra) throw new TagsmithError('INTERNAL', 'ONNX export: a model with several inputs is checked on given images only')
  const expected = check.probabilities ?? headInJs(check.features ?? (await backboneFeatures(req, check.pixels, check.count)), req.head, D, L)

  fs.mkdirSync(path.dirname(path.resolve(req.file)), { recursive: true })
  const tmp = `${req.file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, bytes)
  try {
    const classifier = await openOnnxClassifier(tmp, { worker: false, threads: 1 })
    let got: Float32Array
    try {
      got = await classifier.predict(check.pixels, check.count, check.extra)
    } finally {
      await classifier.dispose()
    }
    const diff = maxAbsDiff(got, expected)
    if (!(diff <= tolerance)) {
      throw new TagsmithError('INTERNAL', `ONNX export self-check failed: probabilities differ from the reference by ${diff.toExponential(2)} (allowed ${tolerance})`)
    }
    fs.renameSync(tmp, req.file)
    return { file: req.file, bytes: bytes.byteLength, inputShape: b.inputShape, featureLength: D, selfCheck: { images: check.count, maxAbsDiff: diff, tolerance } }
  } finally {
    fs.rmSync(tmp, { force: true })
  }
}

function checkHead(head: LinearHead, D: number, L: number): void {
  const expect = (what: string, got: number, want: number): void => {
    if (got !== want) throw new TagsmithError('BAD_INPUT', `ONNX export: head ${what} has ${got} values, expected ${want} (features ${D}, labels ${L})`)
  }
  if (L < 1) throw new TagsmithError('BAD_INPUT', 'ONNX export: no labels')
  const H = head.hidden?.bias.length ?? D
  if (head.hidden) {
    if (H < 1) throw new TagsmithError('BAD_INPUT', 'ONNX export: the hidden layer has no units')
    expect('hidden kernel', head.hidden.kernel.length, D * H)
  }
  expect('kernel', head.kernel.length, H * L)
  expect('bias', head.bias.length, L)
  expect('mean', head.mean.length, D)
  expect('std', head.std.length, D)
  const bad = head.std.findIndex((s) => !(s > 0))
  if (bad >= 0) throw new TagsmithError('BAD_INPUT', `ONNX export: std[${bad}] is ${head.std[bad]}; standard deviations must be positive`)
}

/** sigmoid(((x - mean) / std) · kernel + bias), with relu(· hidden kernel + hidden bias) between, in double precision. */
export function headInJs(features: Float32Array, head: LinearHead, D: number, L: number): Float32Array {
  const n = features.length / D
  const out = new Float32Array(n * L)
  const z = new Float64Array(D)
  const H = head.hidden?.bias.length ?? D
  const a = head.hidden ? new Float64Array(H) : z
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < D; d++) z[d] = ((features[i * D + d] as number) - (head.mean[d] as number)) / (head.std[d] as number)
    if (head.hidden) {
      for (let h = 0; h < H; h++) {
        let s = head.hidden.bias[h] as number
        for (let d = 0; d < D; d++) s += (z[d] as number) * (head.hidden.kernel[d * H + h] as number)
        a[h] = Math.max(0, s)
      }
    }
    for (let l = 0; l < L; l++) {
      let s = head.bias[l] as number
      for (let h = 0; h < H; h++) s += (a[h] as number) * (head.kernel[h * L + l] as number)
      out[i * L + l] = 1 / (1 + Math.exp(-s))
    }
  }
  return out
}

async function backboneFeatures(req: ExportOnnxRequest, pixels: Float32Array, count: number): Promise<Float32Array> {
  const cut = convertBackbone(req.source, {
    featureLayers: req.featureLayers,
    ...(req.inputSize ? { inputSize: req.inputSize } : {}),
    ...(req.pixelNormalisation ? { pixelNormalisation: req.pixelNormalisation } : {}),
  })
  const engine = await openOnnxExtractor({ model: cut.bytes, inputShape: cut.inputShape, inputLayout: cut.inputLayout, featureLength: cut.featureLength }, { worker: false, threads: 1 })
  try {
    return await engine.run(pixels, count)
  } finally {
    await engine.dispose()
  }
}

/** Two smooth colour gradients: deterministic images with structure at every scale. */
function syntheticCheck(height: number, width: number, channels: number): { pixels: Float32Array; count: number } {
  const count = 2
  const pixels = new Float32Array(count * height * width * channels)
  let k = 0
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) {
          pixels[k++] = 0.5 + 0.5 * Math.sin((n + 1) * (x / width) * 6 + (c + 1) * (y / height) * 4 + c)
        }
      }
    }
  }
  return { pixels, count }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)))
  return m
}
