// Shared by the ONNX tests: run a converted model in ONNX Runtime and the same model in TF.js on the
// same input, and compare the pooled, concatenated features.
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import * as ort from 'onnxruntime-node'
import { convertBackbone, type ConvertedBackbone, type InputLayout } from '../../../src-main/core/ml/onnx/convert.ts'
import { sourceFromLayersModel } from '../../../src-main/core/ml/onnx/layers-source.ts'

export function fixturesDir(): string {
  return process.env.TAGSMITH_FIXTURES ?? path.resolve(import.meta.dirname, '../../../..', 'shared/fixtures')
}

/** Seeded uniform values in [lo, hi). */
export function seededUniform(n: number, seed: number, lo = 0, hi = 1): Float32Array {
  let a = seed >>> 0
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296)
  }
  return out
}

/**
 * Gives every weight a random value, so biases and batch-norm statistics are not their trivial
 * initial zeros and ones (variances stay positive).
 */
export function randomiseWeights(model: tf.LayersModel, seed: number): void {
  let s = seed
  for (const layer of model.layers) {
    const values = layer.weights.map((w) => {
      const shape = w.shape.map((d) => d ?? 1)
      const size = shape.reduce((a, b) => a * b, 1)
      const positive = /variance|gamma/.test(w.originalName)
      const data = seededUniform(size, s++, positive ? 0.5 : -0.6, positive ? 1.5 : 0.6)
      return tf.tensor(data, shape)
    })
    if (values.length > 0) layer.setWeights(values)
    tf.dispose(values)
  }
}

/** TF.js reference: each layer's output averaged over height and width (vectors as they are), concatenated. */
export function tfFeatures(model: tf.LayersModel, layers: string[], x: tf.Tensor4D): Float32Array {
  return tf.tidy(() => {
    const cut = tf.model({ inputs: model.inputs, outputs: layers.map((n) => model.getLayer(n).output as tf.SymbolicTensor) })
    const raw = cut.predict(x)
    const outs = Array.isArray(raw) ? raw : [raw]
    const pooled = outs.map((o) => (o.rank === 4 ? tf.mean(o, [1, 2]) : o))
    return tf.concat(pooled, 1).dataSync() as Float32Array
  })
}

export async function onnxFeatures(converted: ConvertedBackbone, pixels: Float32Array, count: number): Promise<Float32Array> {
  const { height, width, channels } = converted.inputShape
  const dims = converted.inputLayout === 'NCHW' ? [count, channels, height, width] : [count, height, width, channels]
  const session = await ort.InferenceSession.create(converted.bytes, { graphOptimizationLevel: 'all', intraOpNumThreads: 1 })
  try {
    const out = await session.run({ input: new ort.Tensor('float32', pixels, dims) })
    return out.features?.data as Float32Array
  } finally {
    await session.release()
  }
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`)
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)))
  return m
}

/** Converts `model`, runs both engines on a seeded random batch; returns the worst difference and the conversion. */
export async function compareEngines(
  model: tf.LayersModel,
  layers: string[],
  opts: { batch?: number; seed?: number; inputLayout?: InputLayout; inputRange?: [number, number] } = {},
): Promise<{ diff: number; converted: ConvertedBackbone; reference: Float32Array }> {
  const batch = opts.batch ?? 2
  const [, h, w, c] = model.inputs[0]?.shape as [null, number, number, number]
  const [lo, hi] = opts.inputRange ?? [0, 1]
  const nhwc = seededUniform(batch * h * w * c, opts.seed ?? 7, lo, hi)
  const x = tf.tensor4d(nhwc, [batch, h, w, c])
  const reference = tfFeatures(model, layers, x)
  x.dispose()
  const converted = convertBackbone(sourceFromLayersModel(model), { featureLayers: layers, inputLayout: opts.inputLayout ?? 'NHWC' })
  let pixels = nhwc
  if (converted.inputLayout === 'NCHW') {
    pixels = new Float32Array(nhwc.length)
    const plane = h * w
    for (let n = 0; n < batch; n++) {
      for (let p = 0; p < plane; p++) {
        for (let k = 0; k < c; k++) pixels[n * plane * c + k * plane + p] = nhwc[n * plane * c + p * c + k] as number
      }
    }
  }
  const actual = await onnxFeatures(converted, pixels, batch)
  return { diff: maxAbsDiff(actual, reference), converted, reference }
}

export function opTypes(converted: ConvertedBackbone): string[] {
  return converted.model.graph.nodes.map((n) => n.opType)
}
