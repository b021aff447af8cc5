import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { convertBackbone } from '../../../src-main/core/ml/onnx/convert.ts'
import { sourceFromLayersModel } from '../../../src-main/core/ml/onnx/layers-source.ts'
import { compareEngines, opTypes, randomiseWeights } from './onnx-helpers.ts'

const TOLERANCE = 1e-4

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function build(inputShape: [number, number, number], layers: tf.layers.Layer[], seed = 1): tf.LayersModel {
  const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape, name: 'image' }), ...layers] })
  randomiseWeights(model, seed)
  return model
}

describe('ONNX conversion matches TF.js within 1e-4, layer type by layer type', () => {
  it.each([
    { name: 'same, stride 1, bias, relu', size: [9, 11, 3], cfg: { filters: 5, kernelSize: 3, padding: 'same', strides: 1, activation: 'relu' } },
    { name: 'same, stride 2, even input', size: [16, 16, 3], cfg: { filters: 4, kernelSize: 3, padding: 'same', strides: 2 } },
    { name: 'same, stride 2, odd input', size: [15, 13, 2], cfg: { filters: 4, kernelSize: 3, padding: 'same', strides: 2 } },
    { name: 'valid, stride 2, no bias', size: [12, 10, 3], cfg: { filters: 6, kernelSize: 3, padding: 'valid', strides: 2, useBias: false } },
    { name: 'valid 1x1, stride 1, relu6', size: [7, 7, 8], cfg: { filters: 3, kernelSize: 1, padding: 'valid', activation: 'relu6' } },
    { name: 'same, 5x3 kernel, stride [2, 1]', size: [11, 9, 3], cfg: { filters: 4, kernelSize: [5, 3], padding: 'same', strides: [2, 1] } },
  ] as const)('Conv2D $name', async ({ size, cfg }) => {
    const model = build([...size], [tf.layers.conv2d({ ...cfg, kernelSize: cfg.kernelSize as number | number[], strides: cfg.strides as number | number[] | undefined, name: 'conv' })])
    const { diff } = await compareEngines(model, ['conv'])
    expect(diff).toBeLessThan(TOLERANCE)
  })

  it.each([
    { name: 'same, stride 1', cfg: { kernelSize: 3, padding: 'same', strides: 1 } },
    { name: 'same, stride 2', cfg: { kernelSize: 3, padding: 'same', strides: 2 } },
    { name: 'valid, stride 2, multiplier 2, bias', cfg: { kernelSize: 3, padding: 'valid', strides: 2, depthMultiplier: 2, useBias: true } },
  ] as const)('DepthwiseConv2D $name', async ({ cfg }) => {
    const model = build([13, 12, 4], [tf.layers.depthwiseConv2d({ useBias: false, ...cfg, name: 'dw' })])
    const { diff } = await compareEngines(model, ['dw'])
    expect(diff).toBeLessThan(TOLERANCE)
  })

  it('folds BatchNormalization into the conv before it (no separate normalisation node)', async () => {
    const model = build(
      [10, 10, 3],
      [
        tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false, name: 'conv' }),
        tf.layers.batchNormalization({ name: 'bn', epsilon: 1e-3 }),
        tf.layers.reLU({ maxValue: 6, name: 'relu6' }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false, name: 'dw' }),
        tf.layers.batchNormalization({ name: 'dw_bn' }),
      ],
    )
    const { diff, converted } = await compareEngines(model, ['relu6', 'dw_bn'])
    expect(diff).toBeLessThan(TOLERANCE)
    expect(opTypes(converted).filter((t) => t === 'Conv')).toHaveLength(2)
    expect(opTypes(converted)).not.toContain('BatchNormalization')
    expect(opTypes(converted)).not.toContain('Mul')
  })

  it('keeps a BatchNormalization that cannot be folded (its conv output is also a feature)', async () => {
    const model = build([8, 8, 3], [tf.layers.conv2d({ filters: 4, kernelSize: 3, name: 'conv' }), tf.layers.batchNormalization({ name: 'bn' })])
    const { diff, converted } = await compareEngines(model, ['conv', 'bn'])
    expect(diff).toBeLessThan(TOLERANCE)
    expect(opTypes(converted)).toContain('Mul')
  })

  it('ReLU6 as a ReLU layer, as an activation, and plain ReLU', async () => {
    const model = build(
      [6, 6, 3],
      [
        tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'c1' }),
        tf.layers.reLU({ maxValue: 6, name: 'relu6_layer' }),
        tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'c2' }),
        tf.layers.activation({ activation: 'relu6', name: 'relu6_act' }),
        tf.layers.conv2d({ filters: 4, kernelSize: 1, name: 'c3' }),
        tf.layers.reLU({ name: 'relu' }),
      ],
    )
    // Inputs up to 40 push values past 6, so the clip matters.
    const { diff, converted, reference } = await compareEngines(model, ['relu6_layer', 'relu6_act', 'relu'], { seed: 3, inputRange: [0, 40] })
    expect(reference[0]).toBeGreaterThan(5) // near the cap: most pixels clip at 6
    expect(diff).toBeLessThan(TOLERANCE)
    expect(opTypes(converted).filter((t) => t === 'Clip')).toHaveLength(2)
  })

  it('ZeroPadding2D merged into the valid conv after it, and kept as Pad where it is an output', async () => {
    const model = build(
      [11, 11, 3],
      [
        tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]], name: 'pad' }),
        tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'valid', name: 'conv' }),
        tf.layers.zeroPadding2d({ padding: [[2, 1], [1, 3]], name: 'pad_out' }),
      ],
    )
    const { diff, converted } = await compareEngines(model, ['conv', 'pad_out'])
    expect(diff).toBeLessThan(TOLERANCE)
    expect(opTypes(converted).filter((t) => t === 'Pad')).toHaveLength(1)
  })

  it('Add (residual) and Concatenate on the channel axis in a functional model', async () => {
    const input = tf.input({ shape: [9, 9, 4], name: 'image' })
    const a = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'a' }).apply(input) as tf.SymbolicTensor
    const sum = tf.layers.add({ name: 'sum' }).apply([input, a]) as tf.SymbolicTensor
    const b = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'b' }).apply(sum) as tf.SymbolicTensor
    const cat = tf.layers.concatenate({ axis: -1, name: 'cat' }).apply([sum, b]) as tf.SymbolicTensor
    const model = tf.model({ inputs: input, outputs: cat })
    randomiseWeights(model, 5)
    const { diff } = await compareEngines(model, ['sum', 'cat'])
    expect(diff).toBeLessThan(TOLERANCE)
  })

  it('average, max and global average pooling, then Flatten and Dense', async () => {
    const model = build(
      [12, 10, 3],
      [
        tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', name: 'conv' }),
        tf.layers.averagePooling2d({ poolSize: 2, strides: 2, padding: 'valid', name: 'avg' }),
        tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same', name: 'avg_same' }),
        tf.layers.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'max' }),
        tf.layers.flatten({ name: 'flat' }),
        tf.layers.dense({ units: 7, activation: 'relu', name: 'dense' }),
        tf.layers.dense({ units: 3, activation: 'softmax', name: 'probs' }),
      ],
    )
    const { diff } = await compareEngines(model, ['avg', 'avg_same', 'max', 'flat', 'dense', 'probs'])
    expect(diff).toBeLessThan(TOLERANCE)
  })

  it('GlobalAveragePooling2D layer and Dense on its output', async () => {
    const model = build(
      [7, 9, 3],
      [
        tf.layers.conv2d({ filters: 6, kernelSize: 3, name: 'conv' }),
        tf.layers.globalAveragePooling2d({ name: 'gap' }),
        tf.layers.dropout({ rate: 0.5, name: 'drop' }),
        tf.layers.dense({ units: 4, activation: 'sigmoid', name: 'dense' }),
      ],
    )
    const { diff } = await compareEngines(model, ['gap', 'dense'])
    expect(diff).toBeLessThan(TOLERANCE)
  })

  it('takes channels-first input when asked, with the same features', async () => {
    const model = build([10, 8, 3], [tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', name: 'conv' })])
    const { diff, converted } = await compareEngines(model, ['conv'], { inputLayout: 'NCHW' })
    expect(diff).toBeLessThan(TOLERANCE)
    expect(opTypes(converted)).not.toContain('Transpose')
  })

  it('refuses a layer type it cannot convert, naming the layer', () => {
    const model = build([8, 8, 3], [tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'conv' }), tf.layers.upSampling2d({ size: [2, 2], name: 'up' })])
    const convert = (): unknown => convertBackbone(sourceFromLayersModel(model), { featureLayers: ['up'] })
    expect(convert).toThrow(TagsmithError)
    expect(convert).toThrow(/layer 'up' \(UpSampling2D\)/)
  })

  it('refuses a feature layer the model does not have', () => {
    const model = build([8, 8, 3], [tf.layers.conv2d({ filters: 2, kernelSize: 3, name: 'conv' })])
    expect(() => convertBackbone(sourceFromLayersModel(model), { featureLayers: ['block_99_add'] })).toThrow(/no layer 'block_99_add'/)
  })
})
