// Layers with weights: Conv2D and DepthwiseConv2D (zero padding merged in, batch normalisation
// folded into weights and bias), standalone BatchNormalization, ZeroPadding2D and Dense.
import { int, ints } from './graph-builder.ts'
import { emitActivation, activationOf } from './emit-activation.ts'
import { imageShape, inputOf, pair, requireChannelsLast, shapeOf, UnsupportedLayerError, window, type EmitContext, type Pads4 } from './emit-context.ts'
import type { LayerNode } from './topology.ts'

/** BatchNormalization statistics as per-channel scale and shift: y = x * scale + shift. */
export interface ChannelAffine {
  scale: Float64Array
  shift: Float64Array
}

export interface ConvPlan {
  /** a ZeroPadding2D merged into this conv: its input and its pads */
  padFrom?: { input: string; pads: Pads4 }
  /** a BatchNormalization folded into this conv's weights and bias; its output is this conv's */
  foldBn?: LayerNode
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

export function emitZeroPadding(ctx: EmitContext, layer: LayerNode): void {
  const x = inputOf(ctx, layer)
  const [c, h, w] = imageShape(ctx, layer, x)
  const [t, l, b, r] = zeroPaddingOf(layer)
  // ONNX Pad: begins for N, C, H, W then ends for N, C, H, W
  const pads = ctx.g.int64s(`${layer.name}/pads`, [0, 0, t, l, 0, 0, b, r])
  ctx.values.set(layer.name, ctx.g.op('Pad', [x, pads], layer.name, [c, h + t + b, w + l + r]))
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
