// What every layer emitter shares: the graph being built, the values emitted so far, the weights,
// and Keras' rules for windows, padding and pairs. Image tensors inside the graph are channels-first
// (NCHW, what ONNX Conv wants); Keras shapes are channels-last. Shapes leave out the batch dimension.
import { TagsmithError } from '../../errors.ts'
import type { GraphBuilder } from './graph-builder.ts'
import type { WeightArray } from './layers-source.ts'
import type { LayerNode } from './topology.ts'

export class UnsupportedLayerError extends TagsmithError {
  constructor(layer: LayerNode, why: string) {
    super('UNAVAILABLE', `layer '${layer.name}' (${layer.className}) cannot be converted to ONNX: ${why}`)
  }
}

export interface EmitContext {
  g: GraphBuilder
  /** ONNX value holding the output of each emitted layer */
  values: Map<string, string>
  weights(layer: LayerNode, role: string, optional?: false): WeightArray
  weights(layer: LayerNode, role: string, optional: true): WeightArray | undefined
  scalar(value: number): string
}

export type Pads4 = [top: number, left: number, bottom: number, right: number]

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

export function imageShape(ctx: EmitContext, layer: LayerNode, value: string): [number, number, number] {
  const s = shapeOf(ctx, value)
  if (s.length !== 3) throw new UnsupportedLayerError(layer, `expects an image tensor, got shape [${s.join(', ')}]`)
  return s as [number, number, number]
}

export function requireChannelsLast(layer: LayerNode): void {
  const format = layer.config.data_format
  if (format !== undefined && format !== null && format !== 'channels_last') {
    throw new UnsupportedLayerError(layer, `data_format ${String(format)} (only channels_last)`)
  }
}

export function pair(layer: LayerNode, key: string, fallback?: [number, number]): [number, number] {
  const v = layer.config[key]
  if (typeof v === 'number') return [v, v]
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) return [v[0] as number, v[1] as number]
  if ((v === undefined || v === null) && fallback) return fallback
  throw new UnsupportedLayerError(layer, `${key} must be a number or a pair, got ${JSON.stringify(v)}`)
}

/** Output size and pads along one axis, as TensorFlow computes them ('same' puts the odd pixel last). */
export function window(
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
