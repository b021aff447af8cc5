// Activations: Keras activation names, and the ReLU, LeakyReLU and Activation layers.
import { float, int } from './graph-builder.ts'
import { inputOf, shapeOf, UnsupportedLayerError, type EmitContext } from './emit-context.ts'
import type { LayerNode } from './topology.ts'

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
