// One emitter per Keras layer class: each appends the ONNX nodes that compute the layer. Image tensors
// inside the graph are channels-first (NCHW, what ONNX Conv wants); Keras shapes are channels-last,
// so axes and weights are translated here. Shapes below leave out the batch dimension.
import { TagsmithError } from '../../errors.ts'
import { float, GraphBuilder, int, ints } from './graph-builder.ts'
import type { WeightArray } from './layers-source.ts'
import type { LayerNode } from './topology.ts'

export class UnsupportedLayerError extends TagsmithError {
  constructor(layer: LayerNode, why: string) {
    super('UNAVAILABLE', `layer '${layer.name}' (${layer.className}) cannot be converted to ONNX: ${why}`)
  }
}

/** BatchNormalization statistics as per-channel scale and shift: y = x * scale + shift. */
export interface ChannelAffine {
  scale: Float64Array
  shift: Float64Array
}

export interface EmitContext {
  g: GraphBuilder
  /** ONNX value holding the output of each emitted layer */
  values: Map<string, string>
  weights(layer: LayerNode, role: string, optional?: false): WeightArray
  weights(layer: LayerNode, role: string, optional: true): WeightArray | undefined
  scalar(value: number): string
}

type Pads4 = [top: number, left: number, bottom: number, right: number]

export interface ConvPlan {
  /** a ZeroPadding2D merged into this conv: its input and its pads */
  padFrom?: { input: string; pads: Pads4 }
  /** a BatchNormalization folded into this conv's weights and bias; its output is this conv's */
  foldBn?: LayerNode
}

export function inputOf(ctx: EmitContext, layer: LayerNode, index = 0): string {
  const producer = layer.inputs[index]
  const value = producer === undefined ? undefined : ctx.values.get(producer)
  if (value === undefined) throw new TagsmithError('INTERNAL', `converter: input ${index} of '${layer.name}' was not emitted`)
  return value
}

export function shapeOf(ctx: EmitContext, value: string): number[] {
  const s = ctx.g.shapes.get(value)
  if (!s) throw new TagsmithError('INTERNAL', `converter: no shape recorded for '${value}'`)
  return s
}

function imageShape(ctx: EmitContext, layer: LayerNode, value: string): [number, number, number] {
  const s = shapeOf(ctx, value)
  if (s.length !== 3) throw new UnsupportedLayerError(layer, `expects an image tensor, got shape [${s.join(', ')}]`)
  return s as [number, number, number]
}

function requireChannelsLast(layer: LayerNode): void {
  const format = layer.config.data_format
  if (format !== undefined && format !== null && format !== 'channels_last') {
    throw new UnsupportedLayerError(layer, `data_format ${String(format)} (only channels_last)`)
  }
}

function pair(layer: LayerNode, key: string, fallback?: [number, number]): [number, number] {
  const v = layer.config[key]
  if (typeof v === 'number') return [v, v]
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0] as number, v[1] as number]
  if ((v === undefined || v === null) && fallback) return fallback
  throw new UnsupportedLayerError(layer, `${key} must be a number or a pair, got ${JSON.stringify(v)}`)
}

/** Pads (top, left, bottom, right) of a ZeroPadding2D. */
export function zeroPaddingOf(layer: LayerNode): Pads4 {
  requireChannelsLast(layer)
  const p = layer.config.padding
  if (typeof p === 'number') return [p, p, p, p]
  if (Array.isArray(p) && p.length === 2) {
    const [a, b] = p as unknown[]
    if (typeof a === 'number' && typeof b === 'number') return [a, b, a, b]
    if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every((x) => typeof x === 'number')) {
      return [a[0] as number, b[0] as number, a[1] as number, b[1] as number]
    }
  }
  throw new UnsupportedLayerError(layer, `padding ${JSON.stringify(p)}`)
}

/** Output size and pads along one axis, as TensorFlow computes them ('same' puts the odd pixel last). */
function window(
  layer: LayerNode,
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: unknown,
): { out: number; before: number; after: number } {
  const effective = (kernel - 1) * dilation + 1
  if (padding === 'valid') {
    const out = Math.floor((size - effective) / stride) + 1
    if (out < 1) throw new UnsupportedLayerError(layer, `input size ${size} is smaller than the window ${effective}`)
    return { out, before: 0, after: 0 }
  }
  if (padding === 'same') {
    const out = Math.ceil(size / stride)
    const total = Math.max((out - 1) * stride + effective - size, 0)
    const before = Math.floor(total / 2)
    return { out, before, after: total - before }
  }
  throw new UnsupportedLayerError(layer, `padding ${JSON.stringify(padding)}`)
}

export function emitInput(ctx: EmitContext, layer: LayerNode, value: string): void {
  ctx.values.set(layer.name, value)
}

/** Conv2D and DepthwiseConv2D, with an optional merged zero padding and folded batch normalisation. */
export function emitConv(ctx: EmitContext, layer: LayerNode, plan: ConvPlan): void {
  requireChannelsLast(layer)
  const depthwise = layer.className === 'DepthwiseConv2D'
  const x = plan.padFrom?.input ?? inputOf(ctx, layer)
  const [cin, h, w] = imageShape(ctx, layer, x)
  const extra = plan.padFrom?.pads ?? [0, 0, 0, 0]
  const kernel = ctx.weights(layer, depthwise ? 'depthwise_kernel' : 'kernel')
  const [kh, kw, kin, kout] = kernel.shape as [number, number, number, number]
  if (kernel.shape.length !== 4 || kin !== cin) {
    throw new UnsupportedLayerError(layer, `kernel shape [${kernel.shape.join(', ')}] does not fit ${cin} input channels`)
  }
  const [sh, sw] = pair(layer, 'strides', [1, 1])
  const [dh, dw] = pair(layer, 'dilation_rate', [1, 1])
  const padding = layer.config.padding
  const hp = h + extra[0] + extra[2]
  const wp = w + extra[1] + extra[3]
  const rows = window(layer, hp, kh, sh, dh, padding)
  const cols = window(layer, wp, kw, sw, dw, padding)
  const pads: Pads4 = [extra[0] + rows.before, extra[1] + cols.before, extra[2] + rows.after, extra[3] + cols.after]

  // Keras: [kh, kw, in, out] (depthwise: [kh, kw, in, multiplier]) -> ONNX: [out, in/group, kh, kw]
  const cout = depthwise ? cin * kout : kout
  const bias = layer.config.use_bias === false ? undefined : ctx.weights(layer, depthwise ? 'depthwise_bias' : 'bias', true) ?? ctx.weights(layer, 'bias', true)
  const affine = plan.foldBn ? batchNormAffine(ctx, plan.foldBn, cout) : undefined
  const wOut = new Float32Array(cout * (depthwise ? 1 : cin) * kh * kw)
  const k = kernel.data
  for (let y = 0; y < kh; y++) {
    for (let xx = 0; xx < kw; xx++) {
      for (let i = 0; i < kin; i++) {
        for (let o = 0; o < kout; o++) {
          const v = k[((y * kw + xx) * kin + i) * kout + o] as number
          if (depthwise) {
            const oc = i * kout + o
            wOut[(oc * kh + y) * kw + xx] = affine ? v * (affine.scale[oc] as number) : v
          } else {
            wOut[((o * cin + i) * kh + y) * kw + xx] = affine ? v * (affine.scale[o] as number) : v
          }
        }
      }
    }
  }
  let b: Float32Array | undefined
  if (bias || affine) {
    b = new Float32Array(cout)
    for (let o = 0; o < cout; o++) {
      const raw = bias ? (bias.data[o] as number) : 0
      b[o] = affine ? raw * (affine.scale[o] as number) + (affine.shift[o] as number) : raw
    }
  }
  const name = plan.foldBn ? plan.foldBn.name : layer.name
  const inputs = [x, ctx.g.constant(`${layer.name}/W`, [cout, depthwise ? 1 : cin, kh, kw], wOut)]
  if (b) inputs.push(ctx.g.constant(`${layer.name}/B`, [cout], b))
  const attrs = [ints('kernel_shape', [kh, kw]), ints('strides', [sh, sw]), ints('pads', pads), ints('dilations', [dh, dw]), int('group', depthwise ? cin : 1)]
  const convOut = ctx.g.op('Conv', inputs, activationOf(layer) === 'linear' ? name : `${name}/conv`, [cout, rows.out, cols.out], attrs)
  const out = emitActivation(ctx, layer, activationOf(layer), convOut, name)
  ctx.values.set(layer.name, out)
  if (plan.foldBn) ctx.values.set(plan.foldBn.name, out)
}

/** gamma / sqrt(var + eps) and beta - mean * that, in double precision. */
function batchNormAffine(ctx: EmitContext, bn: LayerNode, channels: number): ChannelAffine {
  const axis = bn.config.axis ?? -1
  if (axis !== -1 && axis !== 3 && !(Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 3))) {
    throw new UnsupportedLayerError(bn, `axis ${JSON.stringify(axis)} (only the channel axis)`)
  }
  const eps = typeof bn.config.epsilon === 'number' ? bn.config.epsilon : 1e-3
  const mean = ctx.weights(bn, 'moving_mean').data
  const variance = ctx.weights(bn, 'moving_variance').data
  const gamma = bn.config.scale === false ? undefined : ctx.weights(bn, 'gamma').data
  const beta = bn.config.center === false ? undefined : ctx.weights(bn, 'beta').data
  if (mean.length !== channels || variance.length !== channels) {
    throw new UnsupportedLayerError(bn, `has ${mean.length} channels, its input has ${channels}`)
  }
  const scale = new Float64Array(channels)
  const shift = new Float64Array(channels)
  for (let c = 0; c < channels; c++) {
    const s = (gamma ? (gamma[c] as number) : 1) / Math.sqrt((variance[c] as number) + eps)
    scale[c] = s
    shift[c] = (beta ? (beta[c] as number) : 0) - (mean[c] as number) * s
  }
  return { scale, shift }
}

/** A BatchNormalization that could not be folded: a per-channel multiply-add. */
export function emitBatchNorm(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const shape = shapeOf(ctx, x)
  const channels = shape[0] as number
  const { scale, shift } = batchNormAffine(ctx, layer, channels)
  const dims = shape.length === 3 ? [channels, 1, 1] : [channels]
  const mul = ctx.g.op('Mul', [x, ctx.g.constant(`${layer.name}/scale`, dims, Float32Array.from(scale))], `${layer.name}/mul`, shape)
  ctx.values.set(layer.name, ctx.g.op('Add', [mul, ctx.g.constant(`${layer.name}/shift`, dims, Float32Array.from(shift))], layer.name, shape))
}

export function emitDense(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const shape = shapeOf(ctx, x)
  const kernel = ctx.weights(layer, 'kernel')
  const [din, dout] = kernel.shape as [number, number]
  if (shape.length !== 1 || shape[0] !== din) {
    throw new UnsupportedLayerError(layer, `expects a vector of ${din} values, got shape [${shape.join(', ')}]`)
  }
  const inputs = [x, ctx.g.constant(`${layer.name}/W`, [din, dout], kernel.data)]
  const bias = layer.config.use_bias === false ? undefined : ctx.weights(layer, 'bias', true)
  if (bias) inputs.push(ctx.g.constant(`${layer.name}/B`, [dout], bias.data))
  const act = activationOf(layer)
  const y = ctx.g.op('Gemm', inputs, act === 'linear' ? layer.name : `${layer.name}/gemm`, [dout])
  ctx.values.set(layer.name, emitActivation(ctx, layer, act, y, layer.name))
}

export function activationOf(layer: LayerNode): string {
  const a = layer.config.activation
  if (a === undefined || a === null) return 'linear'
  if (typeof a === 'string') return a
  throw new UnsupportedLayerError(layer, `activation ${JSON.stringify(a)}`)
}

/** Keras activations by name; softmax runs over the channel axis, as in Keras. */
export function emitActivation(ctx: EmitContext, layer: LayerNode, act: string, x: string, outBase: string): string {
  const shape = shapeOf(ctx, x)
  const g = ctx.g
  switch (act) {
    case 'linear':
      return x
    case 'relu':
      return g.op('Relu', [x], outBase, shape)
    case 'relu6':
      return g.op('Clip', [x, ctx.scalar(0), ctx.scalar(6)], outBase, shape)
    case 'sigmoid':
      return g.op('Sigmoid', [x], outBase, shape)
    case 'tanh':
      return g.op('Tanh', [x], outBase, shape)
    case 'softmax':
      return g.op('Softmax', [x], outBase, shape, [int('axis', 1)])
    case 'elu':
      return g.op('Elu', [x], outBase, shape, [float('alpha', 1)])
    case 'selu':
      return g.op('Selu', [x], outBase, shape)
    case 'softplus':
      return g.op('Softplus', [x], outBase, shape)
    case 'softsign':
      return g.op('Softsign', [x], outBase, shape)
    case 'hard_sigmoid':
      return g.op('HardSigmoid', [x], outBase, shape, [float('alpha', 0.2), float('beta', 0.5)])
    case 'swish': {
      const s = g.op('Sigmoid', [x], `${outBase}/sigmoid`, shape)
      return g.op('Mul', [x, s], outBase, shape)
    }
    default:
      throw new UnsupportedLayerError(layer, `activation '${act}'`)
  }
}

/** The ReLU layer: plain, capped (ReLU6 is max_value 6) or leaky; thresholds other than 0 are refused. */
export function emitRelu(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const shape = shapeOf(ctx, x)
  const max = layer.config.max_value ?? layer.config.maxValue
  const slope = layer.config.negative_slope ?? 0
  const threshold = layer.config.threshold ?? 0
  if (threshold !== 0) throw new UnsupportedLayerError(layer, `threshold ${String(threshold)}`)
  let y: string
  if (slope !== 0) {
    if (max !== null && max !== undefined) throw new UnsupportedLayerError(layer, 'a leaky slope together with max_value')
    y = ctx.g.op('LeakyRelu', [x], layer.name, shape, [float('alpha', Number(slope))])
  } else if (typeof max === 'number') {
    y = ctx.g.op('Clip', [x, ctx.scalar(0), ctx.scalar(max)], layer.name, shape)
  } else {
    y = ctx.g.op('Relu', [x], layer.name, shape)
  }
  ctx.values.set(layer.name, y)
}

export function emitLeakyRelu(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const alpha = typeof layer.config.alpha === 'number' ? layer.config.alpha : 0.3
  ctx.values.set(layer.name, ctx.g.op('LeakyRelu', [x], layer.name, shapeOf(ctx, x), [float('alpha', alpha)]))
}

export function emitActivationLayer(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  ctx.values.set(layer.name, emitActivation(ctx, layer, activationOf(layer), x, layer.name))
}

export function emitZeroPadding(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const [c, h, w] = imageShape(ctx, layer, x)
  const [t, l, b, r] = zeroPaddingOf(layer)
  // ONNX Pad: begins for N, C, H, W then ends for N, C, H, W
  const pads = ctx.g.int64s(`${layer.name}/pads`, [0, 0, t, l, 0, 0, b, r])
  ctx.values.set(layer.name, ctx.g.op('Pad', [x, pads], layer.name, [c, h + t + b, w + l + r]))
}

export function emitPooling(ctx: EmitContext, layer: LayerNode): void {
  requireChannelsLast(layer)
  const x = inputOf(ctx, layer)
  const [c, h, w] = imageShape(ctx, layer, x)
  const [ph, pw] = pair(layer, 'pool_size', [2, 2])
  const [sh, sw] = pair(layer, 'strides', [ph, pw])
  const rows = window(layer, h, ph, sh, 1, layer.config.padding ?? 'valid')
  const cols = window(layer, w, pw, sw, 1, layer.config.padding ?? 'valid')
  const attrs = [ints('kernel_shape', [ph, pw]), ints('strides', [sh, sw]), ints('pads', [rows.before, cols.before, rows.after, cols.after])]
  // TensorFlow averages over the real pixels only, never the padding.
  const avg = layer.className === 'AveragePooling2D'
  if (avg) attrs.push(int('count_include_pad', 0))
  ctx.values.set(layer.name, ctx.g.op(avg ? 'AveragePool' : 'MaxPool', [x], layer.name, [c, rows.out, cols.out], attrs))
}

/** Global pooling to a vector (or to 1x1 with keepdims), the same reduction the feature outputs use. */
export function emitGlobalPooling(ctx: EmitContext, layer: LayerNode): void {
  requireChannelsLast(layer)
  const x = inputOf(ctx, layer)
  const keep = layer.config.keepdims === true || layer.config.keepDims === true
  const op = layer.className === 'GlobalMaxPooling2D' ? 'GlobalMaxPool' : 'GlobalAveragePool'
  ctx.values.set(layer.name, globalPool(ctx, x, op, layer.name, keep))
}

export function globalPool(ctx: EmitContext, x: string, op: 'GlobalAveragePool' | 'GlobalMaxPool', outBase: string, keep = false): string {
  const s = shapeOf(ctx, x)
  const c = s[0] as number
  if (s.length === 1) return x
  if (keep) return ctx.g.op(op, [x], outBase, [c, 1, 1])
  const pooled = ctx.g.op(op, [x], `${outBase}/pool`, [c, 1, 1])
  return ctx.g.op('Flatten', [pooled], outBase, [c], [int('axis', 1)])
}

/** Flatten in Keras order (row, column, channel): back to channels-last first unless the image is 1x1. */
export function emitFlatten(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const s = shapeOf(ctx, x)
  const size = s.reduce((a, b) => a * b, 1)
  let src = x
  if (s.length === 3 && (s[1] !== 1 || s[2] !== 1)) {
    src = ctx.g.op('Transpose', [x], `${layer.name}/nhwc`, [s[1] as number, s[2] as number, s[0] as number], [ints('perm', [0, 2, 3, 1])])
  }
  ctx.values.set(layer.name, ctx.g.op('Flatten', [src], layer.name, [size], [int('axis', 1)]))
}

export function emitReshape(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const s = shapeOf(ctx, x)
  const size = s.reduce((a, b) => a * b, 1)
  const target = layer.config.target_shape ?? layer.config.targetShape
  if (!Array.isArray(target) || !target.every((d) => typeof d === 'number')) {
    throw new UnsupportedLayerError(layer, `target_shape ${JSON.stringify(target)}`)
  }
  const known = (target as number[]).filter((d) => d !== -1).reduce((a, b) => a * b, 1)
  const dims = (target as number[]).map((d) => (d === -1 ? size / known : d))
  if (dims.reduce((a, b) => a * b, 1) !== size || (dims.length !== 1 && dims.length !== 3)) {
    throw new UnsupportedLayerError(layer, `cannot reshape [${s.join(', ')}] to [${dims.join(', ')}]`)
  }
  let src = x
  if (s.length === 3) {
    src = ctx.g.op('Transpose', [x], `${layer.name}/nhwc`, [s[1] as number, s[2] as number, s[0] as number], [ints('perm', [0, 2, 3, 1])])
  }
  const shapeConst = ctx.g.int64s(`${layer.name}/shape`, [0, ...dims])
  if (dims.length === 1) {
    ctx.values.set(layer.name, ctx.g.op('Reshape', [src, shapeConst], layer.name, dims))
    return
  }
  const [h, w, c] = dims as [number, number, number]
  const nhwc = ctx.g.op('Reshape', [src, shapeConst], `${layer.name}/reshape`, [h, w, c])
  ctx.values.set(layer.name, ctx.g.op('Transpose', [nhwc], layer.name, [c, h, w], [ints('perm', [0, 3, 1, 2])]))
}

const MERGE_OPS: Record<string, string> = { Add: 'Sum', Multiply: 'Mul', Average: 'Mean', Maximum: 'Max', Minimum: 'Min', Subtract: 'Sub' }

/** Element-wise merges of equally shaped inputs. */
export function emitMerge(ctx: EmitContext, layer: LayerNode): void {
  const xs = layer.inputs.map((_, i) => inputOf(ctx, layer, i))
  const shape = shapeOf(ctx, xs[0] as string)
  for (const x of xs) {
    if (shapeOf(ctx, x).join() !== shape.join()) throw new UnsupportedLayerError(layer, 'inputs of different shapes (broadcasting)')
  }
  let op = MERGE_OPS[layer.className] as string
  if (layer.className === 'Subtract' && xs.length !== 2) throw new UnsupportedLayerError(layer, 'Subtract needs two inputs')
  if (xs.length === 2 && op === 'Sum') op = 'Add'
  if (xs.length > 2 && op === 'Mul') {
    let acc = xs[0] as string
    xs.slice(1).forEach((x, i) => {
      acc = ctx.g.op('Mul', [acc, x], i === xs.length - 2 ? layer.name : `${layer.name}/mul`, shape)
    })
    ctx.values.set(layer.name, acc)
    return
  }
  ctx.values.set(layer.name, ctx.g.op(op, xs, layer.name, shape))
}

export function emitConcatenate(ctx: EmitContext, layer: LayerNode): void {
  const xs = layer.inputs.map((_, i) => inputOf(ctx, layer, i))
  const shapes = xs.map((x) => shapeOf(ctx, x))
  const rank = (shapes[0] as number[]).length
  const kerasAxis = typeof layer.config.axis === 'number' ? layer.config.axis : -1
  const kerasRank = rank + 1
  const axis = kerasAxis < 0 ? kerasRank + kerasAxis : kerasAxis
  if (axis < 1 || axis >= kerasRank || shapes.some((s) => s.length !== rank)) {
    throw new UnsupportedLayerError(layer, `axis ${kerasAxis} over inputs of rank ${kerasRank}`)
  }
  // Keras NHWC axis -> our NCHW axis; vectors keep theirs.
  const onnxAxis = rank === 3 ? ([0, 2, 3, 1][axis] as number) : axis
  const out = (shapes[0] as number[]).slice()
  out[onnxAxis - 1] = shapes.reduce((sum, s) => sum + (s[onnxAxis - 1] as number), 0)
  ctx.values.set(layer.name, ctx.g.op('Concat', xs, layer.name, out, [int('axis', onnxAxis)]))
}

export function emitRescaling(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const shape = shapeOf(ctx, x)
  const scale = Number(layer.config.scale ?? 1)
  const offset = Number(layer.config.offset ?? 0)
  const mul = ctx.g.op('Mul', [x, ctx.scalar(scale)], offset === 0 ? layer.name : `${layer.name}/scale`, shape)
  ctx.values.set(layer.name, offset === 0 ? mul : ctx.g.op('Add', [mul, ctx.scalar(offset)], layer.name, shape))
}

/** Layers that do nothing at inference time. */
export function emitIdentity(ctx: EmitContext, layer: LayerNode): void {
  ctx.values.set(layer.name, inputOf(ctx, layer))
}
