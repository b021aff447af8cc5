// What the converter reads: a TF.js/Keras layers topology and its weights as float32 arrays, taken
// either from saved artifacts (model.json + weight bytes, quantised or not) or from a loaded model.
import { createHash } from 'node:crypto'
import type { LayersModel } from '@tensorflow/tfjs'
import { TagsmithError } from '../../errors.ts'

export interface WeightArray {
  shape: number[]
  data: Float32Array
}

/** One layer of a Keras topology, as written in model.json. */
export interface LayerSpec {
  class_name: string
  name?: string
  config: Record<string, unknown>
  /** Keras 2 form: one entry per call of the layer; each lists [layerName, nodeIndex, tensorIndex, kwargs] */
  inbound_nodes?: unknown[]
}

export interface LayersSource {
  /** `model_config` of model.json: { class_name: 'Model' | 'Functional' | 'Sequential', config } */
  topology: { class_name: string; config: unknown }
  /** weights by layer name, then by role: 'kernel', 'bias', 'depthwise_kernel', 'gamma', 'moving_mean', ... */
  weights: Map<string, Map<string, WeightArray>>
}

interface WeightSpec {
  name: string
  shape: number[]
  dtype: string
  quantization?: { dtype: string; min?: number; scale?: number }
}

/** TF.js model artifacts as `tf.io.ModelArtifacts` holds them (weight specs flattened, shards joined). */
export interface ModelArtifactsLike {
  modelTopology?: unknown
  weightSpecs?: unknown[]
  weightData?: ArrayBuffer | ArrayBuffer[] | Uint8Array
}

/**
 * From the artifacts of a TF.js layers model: the parsed model.json (`modelTopology` and
 * `weightsManifest`) and the concatenated bytes of its weight shards, in manifest order.
 */
export function sourceFromArtifacts(modelJson: unknown, weightData: Uint8Array): LayersSource {
  const json = asRecord(modelJson, 'model.json')
  const manifest = json.weightsManifest
  if (!Array.isArray(manifest)) throw new TagsmithError('BAD_INPUT', 'model.json: weightsManifest is missing')
  const specs: WeightSpec[] = manifest.flatMap((group, i) => {
    const weights = asRecord(group, `model.json weightsManifest[${i}]`).weights
    if (!Array.isArray(weights)) throw new TagsmithError('BAD_INPUT', `model.json: weightsManifest[${i}].weights is missing`)
    return weights as WeightSpec[]
  })
  return sourceFromSpecs(json.modelTopology, specs, weightData)
}

/** From artifacts loaded for TF.js (what `tf.io.IOHandler.load()` returns). */
export function sourceFromModelArtifacts(artifacts: ModelArtifactsLike): LayersSource {
  if (!Array.isArray(artifacts.weightSpecs)) throw new TagsmithError('BAD_INPUT', 'model artifacts: weightSpecs are missing')
  return sourceFromSpecs(artifacts.modelTopology, artifacts.weightSpecs as WeightSpec[], weightBytes(artifacts))
}

/** sha256 of a model's topology, weight specs and weight bytes: identifies it without decoding any weight. */
export function hashModelArtifacts(artifacts: ModelArtifactsLike): string {
  return createHash('sha256')
    .update(JSON.stringify(artifacts.modelTopology ?? null))
    .update(JSON.stringify(artifacts.weightSpecs ?? null))
    .update(weightBytes(artifacts))
    .digest('hex')
}

function weightBytes(artifacts: ModelArtifactsLike): Uint8Array {
  const data = artifacts.weightData
  if (data === undefined) return new Uint8Array(0)
  if (data instanceof Uint8Array) return data
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data.map((b) => new Uint8Array(b))))
  return new Uint8Array(data)
}

function sourceFromSpecs(modelTopology: unknown, specs: WeightSpec[], weightData: Uint8Array): LayersSource {
  const topologyRoot = asRecord(modelTopology, 'model.json modelTopology')
  const modelConfig = asRecord(topologyRoot.model_config ?? topologyRoot, 'model.json model_config')

  const weights = new Map<string, Map<string, WeightArray>>()
  let offset = 0
  for (const spec of specs) {
    const size = spec.shape.reduce((a, b) => a * b, 1)
    const { values, bytes } = decodeWeight(spec, weightData, offset, size)
    offset += bytes
    addWeight(weights, spec.name, { shape: spec.shape, data: values })
  }
  if (offset !== weightData.byteLength) {
    throw new TagsmithError('BAD_INPUT', `weights: manifest describes ${offset} bytes but the shards hold ${weightData.byteLength}`)
  }
  return { topology: { class_name: String(modelConfig.class_name), config: modelConfig.config }, weights }
}

/** From a model already loaded in TF.js: its topology and current weight values. */
export function sourceFromLayersModel(model: LayersModel): LayersSource {
  const json = model.toJSON(null, false)
  const config = asRecord(typeof json === 'string' ? JSON.parse(json) : json, 'model topology')
  const weights = new Map<string, Map<string, WeightArray>>()
  for (const layer of model.layers) {
    const values = layer.getWeights()
    layer.weights.forEach((variable, i) => {
      const tensor = values[i]
      if (!tensor) return
      const roles = weights.get(layer.name) ?? new Map<string, WeightArray>()
      roles.set(roleOf(variable.originalName), { shape: tensor.shape.slice(), data: Float32Array.from(tensor.dataSync()) })
      weights.set(layer.name, roles)
    })
  }
  return { topology: { class_name: String(config.class_name), config: config.config }, weights }
}

/** sha256 over the topology and every weight (names, shapes, bytes): a cache key for conversions. */
export function hashSource(source: LayersSource): string {
  const h = createHash('sha256')
  h.update(JSON.stringify(source.topology))
  for (const layerName of [...source.weights.keys()].sort()) {
    const roles = source.weights.get(layerName)
    if (!roles) continue
    for (const role of [...roles.keys()].sort()) {
      const w = roles.get(role)
      if (!w) continue
      h.update(`${layerName}/${role}:${w.shape.join('x')};`)
      h.update(new Uint8Array(w.data.buffer, w.data.byteOffset, w.data.byteLength))
    }
  }
  return h.digest('hex')
}

/** 'block_1_expand/kernel' -> layer 'block_1_expand', role 'kernel'. */
function addWeight(weights: Map<string, Map<string, WeightArray>>, fullName: string, w: WeightArray): void {
  const cut = fullName.lastIndexOf('/')
  const layerName = cut < 0 ? fullName : fullName.slice(0, cut)
  const roles = weights.get(layerName) ?? new Map<string, WeightArray>()
  roles.set(roleOf(fullName), w)
  weights.set(layerName, roles)
}

function roleOf(weightName: string): string {
  return weightName.slice(weightName.lastIndexOf('/') + 1)
}

function decodeWeight(spec: WeightSpec, all: Uint8Array, offset: number, size: number): { values: Float32Array; bytes: number } {
  const q = spec.quantization
  const need = (bytesPerValue: number): DataView => {
    const bytes = size * bytesPerValue
    if (offset + bytes > all.byteLength) {
      throw new TagsmithError('BAD_INPUT', `weights: '${spec.name}' runs past the end of the weight data`)
    }
    return new DataView(all.buffer, all.byteOffset + offset, bytes)
  }
  const values = new Float32Array(size)
  if (!q) {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
      throw new TagsmithError('BAD_INPUT', `weights: '${spec.name}' has dtype ${spec.dtype}; only float32 and int32 are supported`)
    }
    const view = need(4)
    for (let i = 0; i < size; i++) values[i] = spec.dtype === 'float32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true)
    return { values, bytes: size * 4 }
  }
  if (q.dtype === 'uint8' || q.dtype === 'uint16') {
    const { min, scale } = q
    if (typeof min !== 'number' || typeof scale !== 'number') {
      throw new TagsmithError('BAD_INPUT', `weights: '${spec.name}' is quantised without min and scale`)
    }
    const width = q.dtype === 'uint8' ? 1 : 2
    const view = need(width)
    // Same arithmetic as TF.js (value * scale + min in double, stored as float32) so both engines see equal weights.
    for (let i = 0; i < size; i++) values[i] = (width === 1 ? view.getUint8(i) : view.getUint16(i * 2, true)) * scale + min
    return { values, bytes: size * width }
  }
  if (q.dtype === 'float16') {
    const view = need(2)
    for (let i = 0; i < size; i++) values[i] = halfToFloat(view.getUint16(i * 2, true))
    return { values, bytes: size * 2 }
  }
  throw new TagsmithError('BAD_INPUT', `weights: '${spec.name}' uses unknown quantisation ${q.dtype}`)
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1
  const exponent = (h >> 10) & 0x1f
  const fraction = h & 0x3ff
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024)
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024)
}

export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TagsmithError('BAD_INPUT', `${what}: expected an object, got ${JSON.stringify(value)?.slice(0, 80)}`)
  }
  return value as Record<string, unknown>
}
