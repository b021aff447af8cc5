// TF.js/Keras layers backbone -> ONNX graph whose one output is the feature vector the TF.js engine
// computes: each chosen layer's output, global-average-pooled, concatenated in the order given.
// Batch normalisation is folded into the convolution before it and zero padding merged into the
// convolution after it, so the runtime sees Conv (+ Clip) chains it can fuse.
import { TagsmithError } from '../../errors.ts'
import { GraphBuilder, ints } from './graph-builder.ts'
import { activationOf, emitActivationLayer, emitLeakyRelu, emitRelu } from './emit-activation.ts'
import { shapeOf, UnsupportedLayerError, type EmitContext } from './emit-context.ts'
import {
  emitConcatenate,
  emitFlatten,
  emitGlobalPooling,
  emitIdentity,
  emitInput,
  emitMerge,
  emitPooling,
  emitRescaling,
  emitReshape,
  globalPool,
} from './emit-structure.ts'
import { emitBatchNorm, emitConv, emitDense, emitZeroPadding, zeroPaddingOf } from './emit-weighted.ts'
import type { LayersSource, WeightArray } from './layers-source.ts'
import { encodeModel, type OnnxModel } from './onnx-proto.ts'
import { readTopology, type LayerNode, type Topology } from './topology.ts'

/** Bump when the converter's output changes, so cached .onnx files are rebuilt. */
export const CONVERTER_VERSION = 1

export const INPUT_NAME = 'input'
export const FEATURES_NAME = 'features'

export type InputLayout = 'NHWC' | 'NCHW'

/** Stands for "the model's own outputs" in a feature layer list. */
export const MODEL_OUTPUTS = '*outputs*'

export interface ConvertOptions {
  /** layers whose outputs are pooled and concatenated, in this order; [MODEL_OUTPUTS] for the model's outputs */
  featureLayers: string[]
  /**
   * Layout of the graph input. 'NHWC' takes the same tensor as the TF.js model (the graph transposes
   * it once); 'NCHW' expects the caller to lay pixels out channels-first and saves that transpose.
   */
  inputLayout?: InputLayout
  /** [height, width] when the model leaves its input size open */
  inputSize?: [number, number]
  /**
   * Per-channel (x - mean) / std applied inside the graph before the backbone, so the graph takes
   * pixels in [0, 1] (used by the exported classifier; feature extraction normalises outside).
   */
  pixelNormalisation?: { mean: readonly number[]; std: readonly number[] }
}

export interface FeatureSlice {
  layer: string
  offset: number
  length: number
}

export interface BackboneGraph {
  g: GraphBuilder
  /** value holding the [batch, featureLength] features */
  features: string
  featureLength: number
  slices: FeatureSlice[]
  inputShape: { height: number; width: number; channels: number }
  inputLayout: InputLayout
}

export interface ConvertedBackbone {
  bytes: Uint8Array
  model: OnnxModel
  shapes: Map<string, number[]>
  featureLength: number
  slices: FeatureSlice[]
  inputShape: { height: number; width: number; channels: number }
  inputLayout: InputLayout
}

const EMITTERS: Record<string, (ctx: EmitContext, layer: LayerNode) => void> = {
  BatchNormalization: emitBatchNorm,
  Dense: emitDense,
  ReLU: emitRelu,
  LeakyReLU: emitLeakyRelu,
  Activation: emitActivationLayer,
  ZeroPadding2D: emitZeroPadding,
  AveragePooling2D: emitPooling,
  MaxPooling2D: emitPooling,
  GlobalAveragePooling2D: emitGlobalPooling,
  GlobalMaxPooling2D: emitGlobalPooling,
  Flatten: emitFlatten,
  Reshape: emitReshape,
  Add: emitMerge,
  Multiply: emitMerge,
  Average: emitMerge,
  Maximum: emitMerge,
  Minimum: emitMerge,
  Subtract: emitMerge,
  Concatenate: emitConcatenate,
  Rescaling: emitRescaling,
  Dropout: emitIdentity,
  SpatialDropout2D: emitIdentity,
  GaussianNoise: emitIdentity,
  GaussianDropout: emitIdentity,
  AlphaDropout: emitIdentity,
}

/** Another backbone's cut added to a graph being built, on an input of its own. */
export interface GraphTarget {
  g: GraphBuilder
  /** the graph input it reads, a name already reserved with g.fresh() */
  inputName: string
}

/**
 * The backbone cut as graph nodes, for callers that append more (the exported classifier). With
 * `into`, the cut joins that graph on its own input, and its features are a value of that graph
 * (not the `features` output); `reserve` keeps public names free when a new graph is started.
 */
export function buildBackboneGraph(source: LayersSource, opts: ConvertOptions & { reserve?: readonly string[] }, into?: GraphTarget): BackboneGraph {
  if (opts.featureLayers.length === 0) throw new TagsmithError('BAD_INPUT', 'ONNX conversion: no feature layers chosen')
  const topo = readTopology(source)
  const featureLayers = opts.featureLayers.length === 1 && opts.featureLayers[0] === MODEL_OUTPUTS ? topo.outputs : opts.featureLayers
  for (const name of featureLayers) {
    if (!topo.byName.has(name)) throw new TagsmithError('BAD_INPUT', `ONNX conversion: the model has no layer '${name}'`)
  }
  const [h0, w0, channels] = topo.inputShape
  const height = h0 ?? opts.inputSize?.[0]
  const width = w0 ?? opts.inputSize?.[1]
  if (height === undefined || width === undefined) {
    throw new TagsmithError('BAD_INPUT', 'ONNX conversion: the model leaves its input size open; give inputSize')
  }
  const inputLayout = opts.inputLayout ?? 'NHWC'

  const g = into?.g ?? new GraphBuilder()
  const inputName = into?.inputName ?? INPUT_NAME
  if (!into) {
    // Reserve the public names so no layer takes them.
    g.fresh(INPUT_NAME)
    g.fresh(FEATURES_NAME)
    for (const name of opts.reserve ?? []) g.fresh(name)
  }
  let nchw = inputName
  g.shapes.set(inputName, inputLayout === 'NCHW' ? [channels, height, width] : [height, width, channels])
  if (inputLayout === 'NHWC') {
    nchw = g.op('Transpose', [inputName], `${inputName}_nchw`, [channels, height, width], [ints('perm', [0, 3, 1, 2])])
  }
  if (opts.pixelNormalisation) nchw = normalisePixels(g, nchw, channels, height, width, opts.pixelNormalisation)

  const needed = layersNeeded(topo, featureLayers)
  const consumers = consumersOf(topo, needed, featureLayers)
  const plans = planFusions(topo, needed, consumers, new Set(featureLayers))
  const ctx = emitContext(g, source)

  for (const layer of topo.layers) {
    if (!needed.has(layer.name) || ctx.values.has(layer.name)) continue
    if (plans.mergedPads.has(layer.name)) continue
    if (layer.className === 'InputLayer') {
      emitInput(ctx, layer, nchw)
    } else if (layer.className === 'Conv2D' || layer.className === 'DepthwiseConv2D') {
      const plan = plans.conv.get(layer.name)
      const pad = plan?.padLayer
      const padFrom = pad ? { input: inputValue(ctx, pad), pads: zeroPaddingOf(pad) } : undefined
      emitConv(ctx, layer, { foldBn: plan?.foldBn, padFrom })
    } else {
      const emit = EMITTERS[layer.className]
      if (!emit) throw new UnsupportedLayerError(layer, 'this layer type is not supported')
      if (layer.className !== 'Activation' && activationOf(layer) !== 'linear' && layer.className !== 'Dense') {
        throw new UnsupportedLayerError(layer, `a fused activation on ${layer.className}`)
      }
      emit(ctx, layer)
    }
  }

  const pooled: string[] = []
  const slices: FeatureSlice[] = []
  let offset = 0
  for (const name of featureLayers) {
    const value = ctx.values.get(name)
    if (value === undefined) throw new TagsmithError('INTERNAL', `ONNX conversion: feature layer '${name}' was not emitted`)
    const v = globalPool(ctx, value, 'GlobalAveragePool', `${name}/gap`)
    const length = shapeOf(ctx, v)[0] as number
    if (shapeOf(ctx, v).length !== 1) throw new TagsmithError('INTERNAL', `ONNX conversion: '${name}' did not pool to a vector`)
    pooled.push(v)
    slices.push({ layer: name, offset, length })
    offset += length
  }
  const concat: Parameters<GraphBuilder['op']>[4] = [{ name: 'axis', type: 'int', value: 1 }]
  const features = into
    ? pooled.length === 1
      ? (pooled[0] as string)
      : g.op('Concat', pooled, `${inputName}_features`, [offset], concat)
    : pooled.length === 1
      ? g.opNamed('Identity', pooled, FEATURES_NAME, [offset])
      : g.opNamed('Concat', pooled, FEATURES_NAME, [offset], concat)
  return { g, features, featureLength: offset, slices, inputShape: { height, width, channels }, inputLayout }
}

/** The backbone cut as a standalone .onnx: input 'input' (batch of images), output 'features'. */
export function convertBackbone(source: LayersSource, opts: ConvertOptions): ConvertedBackbone {
  const b = buildBackboneGraph(source, opts)
  const { height, width, channels } = b.inputShape
  if (b.features !== FEATURES_NAME) throw new TagsmithError('INTERNAL', 'ONNX conversion: features output misnamed')
  const model: OnnxModel = {
    producerName: 'tagsmith',
    producerVersion: String(CONVERTER_VERSION),
    graph: b.g.toGraph(
      'backbone',
      [{ name: INPUT_NAME, shape: b.inputLayout === 'NCHW' ? ['batch', channels, height, width] : ['batch', height, width, channels] }],
      [{ name: FEATURES_NAME, shape: ['batch', b.featureLength] }],
    ),
    metadata: { featureLayers: JSON.stringify(opts.featureLayers), inputLayout: b.inputLayout },
  }
  return { bytes: encodeModel(model), model, shapes: b.g.shapes, featureLength: b.featureLength, slices: b.slices, inputShape: b.inputShape, inputLayout: b.inputLayout }
}

function normalisePixels(
  g: GraphBuilder,
  x: string,
  channels: number,
  height: number,
  width: number,
  n: { mean: readonly number[]; std: readonly number[] },
): string {
  if (n.mean.length !== channels || n.std.length !== channels || n.std.some((s) => !(s > 0))) {
    throw new TagsmithError('BAD_INPUT', `pixel normalisation needs ${channels} means and ${channels} positive stds`)
  }
  const mean = g.constant('pixel_mean', [channels, 1, 1], Float32Array.from(n.mean))
  const std = g.constant('pixel_std', [channels, 1, 1], Float32Array.from(n.std))
  const centred = g.op('Sub', [x, mean], 'pixels_centred', [channels, height, width])
  return g.op('Div', [centred, std], 'pixels_normalised', [channels, height, width])
}

/** Layers the chosen outputs depend on; the rest of the model (its classifier head) is left out. */
function layersNeeded(topo: Topology, outputs: string[]): Set<string> {
  const needed = new Set<string>()
  const stack = [...outputs]
  while (stack.length > 0) {
    const name = stack.pop() as string
    if (needed.has(name)) continue
    needed.add(name)
    stack.push(...(topo.byName.get(name)?.inputs ?? []))
  }
  return needed
}

function consumersOf(topo: Topology, needed: Set<string>, outputs: string[]): Map<string, string[]> {
  const consumers = new Map<string, string[]>()
  for (const layer of topo.layers) {
    if (!needed.has(layer.name)) continue
    for (const i of layer.inputs) consumers.set(i, [...(consumers.get(i) ?? []), layer.name])
  }
  for (const o of outputs) consumers.set(o, [...(consumers.get(o) ?? []), '<output>'])
  return consumers
}

interface ConvFusion {
  foldBn?: LayerNode
  padLayer?: LayerNode
}

interface FusionPlan {
  conv: Map<string, ConvFusion>
  /** ZeroPadding2D layers merged into the conv that reads them */
  mergedPads: Set<string>
}

function inputValue(ctx: EmitContext, layer: LayerNode): string {
  const value = ctx.values.get(layer.inputs[0] ?? '')
  if (value === undefined) throw new TagsmithError('INTERNAL', `ONNX conversion: input of '${layer.name}' was not emitted`)
  return value
}

/**
 * Decides which BatchNormalization layers fold into the conv before them and which ZeroPadding2D
 * layers merge into the conv after them: only where nothing else reads the intermediate value.
 */
function planFusions(topo: Topology, needed: Set<string>, consumers: Map<string, string[]>, outputs: Set<string>): FusionPlan {
  const conv = new Map<string, ConvFusion>()
  const mergedPads = new Set<string>()
  const soleConsumer = (name: string): LayerNode | undefined => {
    const c = consumers.get(name) ?? []
    return c.length === 1 && !outputs.has(name) ? topo.byName.get(c[0] as string) : undefined
  }
  for (const layer of topo.layers) {
    if (!needed.has(layer.name)) continue
    if (layer.className !== 'Conv2D' && layer.className !== 'DepthwiseConv2D') continue
    const plan: ConvFusion = {}
    const next = soleConsumer(layer.name)
    if (next?.className === 'BatchNormalization' && activationOf(layer) === 'linear') plan.foldBn = next
    const producer = topo.byName.get(layer.inputs[0] ?? '')
    if (producer?.className === 'ZeroPadding2D' && soleConsumer(producer.name) === layer) {
      mergedPads.add(producer.name)
      plan.padLayer = producer
    }
    conv.set(layer.name, plan)
  }
  return { conv, mergedPads }
}

function emitContext(g: GraphBuilder, source: LayersSource): EmitContext {
  const scalars = new Map<number, string>()
  function weights(layer: LayerNode, role: string, optional?: false): WeightArray
  function weights(layer: LayerNode, role: string, optional: true): WeightArray | undefined
  function weights(layer: LayerNode, role: string, optional = false): WeightArray | undefined {
    const w = source.weights.get(layer.name)?.get(role)
    if (!w && !optional) throw new TagsmithError('BAD_INPUT', `ONNX conversion: layer '${layer.name}' has no weight '${role}'`)
    return w
  }
  const values = new Map<string, string>()
  const ctx: EmitContext = {
    g,
    values,
    weights,
    scalar(value: number): string {
      let name = scalars.get(value)
      if (name === undefined) {
        name = g.scalar(`const_${value}`, value)
        scalars.set(value, name)
      }
      return name
    },
  }
  return ctx
}
