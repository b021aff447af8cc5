// Layers without weights that move, pool or combine values: input, pooling, flatten, reshape,
// element-wise merges, concatenation, rescaling and the inference-time no-ops.
import { int, ints } from './graph-builder.ts'
import { imageShape, inputOf, pair, requireChannelsLast, shapeOf, UnsupportedLayerError, window, type EmitContext } from './emit-context.ts'
import type { LayerNode } from './topology.ts'

export function emitInput(ctx: EmitContext, layer: LayerNode, value: string): void {
  ctx.values.set(layer.name, value)
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
