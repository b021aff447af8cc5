import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { nsfwjsMobileNetV2Source } from '../../../src-main/core/ml/onnx/bundled-artifacts.ts'
import { openOnnxClassifier } from '../../../src-main/core/ml/onnx/classifier.ts'
import { exportOnnxModel, type LinearHead } from '../../../src-main/core/ml/onnx/export.ts'
import { sourceFromLayersModel } from '../../../src-main/core/ml/onnx/layers-source.ts'
import { maxAbsDiff, randomiseWeights, seededUniform, tfFeatures } from './onnx-helpers.ts'

const SIZE = 20
const LABELS = ['black', 'blue', 'dress', 'shoes']
const LAYERS = ['conv', 'dw']
const PIXEL_NORM = { mean: [0.5, 0.4, 0.3], std: [0.5, 0.6, 0.7] }
let dir: string
let model: tf.LayersModel
let head: LinearHead

/** The classifier computed in TF.js: normalise pixels, backbone cut, standardise, Dense, sigmoid. */
function tfProbabilities(pixels: Float32Array, count: number): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(pixels, [count, SIZE, SIZE, 3]).sub(tf.tensor1d(PIXEL_NORM.mean)).div(tf.tensor1d(PIXEL_NORM.std)) as tf.Tensor4D
    const features = tf.tensor2d(tfFeatures(model, LAYERS, x), [count, head.mean.length])
    const z = features.sub(tf.tensor1d(head.mean)).div(tf.tensor1d(head.std))
    const logits = tf.matMul(z, tf.tensor2d(head.kernel, [head.mean.length, LABELS.length])).add(tf.tensor1d(head.bias))
    return tf.sigmoid(logits).dataSync() as Float32Array
  })
}

beforeAll(async () => {
  await tf.setBackend('cpu')
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-export-'))
  model = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [SIZE, SIZE, 3], name: 'image' }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', useBias: false, name: 'conv0' }),
      tf.layers.batchNormalization({ name: 'conv' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', activation: 'relu6', name: 'dw' }),
    ],
  })
  randomiseWeights(model, 21)
  const D = 12
  head = {
    kernel: seededUniform(D * LABELS.length, 1, -1, 1),
    bias: seededUniform(LABELS.length, 2, -0.5, 0.5),
    mean: seededUniform(D, 3, -0.2, 0.2),
    std: seededUniform(D, 4, 0.5, 2),
  }
})

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('ONNX export of a trained classifier', () => {
  it('writes a file whose probabilities match TF.js within 1e-4, with labels and settings inside', async () => {
    const check = { pixels: seededUniform(3 * SIZE * SIZE * 3, 9), count: 3 }
    const file = path.join(dir, 'model.onnx')
    const result = await exportOnnxModel({
      source: sourceFromLayersModel(model),
      featureLayers: LAYERS,
      head,
      labels: LABELS,
      pixelNormalisation: PIXEL_NORM,
      metadata: { thresholds: [0.5, 0.4, 0.6, 0.5], groups: [['black', 'blue']], fit: 'fill' },
      file,
      check: { ...check, probabilities: tfProbabilities(check.pixels, check.count) },
    })
    expect(result.selfCheck.maxAbsDiff).toBeLessThan(1e-4)
    expect(result.selfCheck.images).toBe(3)
    expect(fs.readdirSync(dir)).toEqual(['model.onnx'])

    const classifier = await openOnnxClassifier(file)
    try {
      expect(classifier.labels).toEqual(LABELS)
      expect(classifier.inputShape).toEqual({ height: SIZE, width: SIZE, channels: 3 })
      expect(classifier.metadata).toMatchObject({ thresholds: [0.5, 0.4, 0.6, 0.5], groups: [['black', 'blue']], fit: 'fill', featureLayers: LAYERS })
      const fresh = seededUniform(5 * SIZE * SIZE * 3, 77)
      const got = await classifier.predict(fresh, 5)
      expect(got.length).toBe(5 * LABELS.length)
      expect(maxAbsDiff(got, tfProbabilities(fresh, 5))).toBeLessThan(1e-4)
    } finally {
      await classifier.dispose()
    }
  })

  it('checks against cached features when no TF.js probabilities are given', async () => {
    const pixels = seededUniform(2 * SIZE * SIZE * 3, 10)
    const x = tf.tidy(() => tf.tensor4d(pixels, [2, SIZE, SIZE, 3]).sub(tf.tensor1d(PIXEL_NORM.mean)).div(tf.tensor1d(PIXEL_NORM.std)) as tf.Tensor4D)
    const features = tfFeatures(model, LAYERS, x)
    x.dispose()
    const result = await exportOnnxModel({
      source: sourceFromLayersModel(model),
      featureLayers: LAYERS,
      head,
      labels: LABELS,
      pixelNormalisation: PIXEL_NORM,
      file: path.join(dir, 'from-features.onnx'),
      check: { pixels, count: 2, features },
    })
    expect(result.selfCheck.maxAbsDiff).toBeLessThan(1e-4)
  })

  it('refuses to leave a file behind when the self-check fails', async () => {
    const file = path.join(dir, 'wrong.onnx')
    const pixels = seededUniform(SIZE * SIZE * 3, 5)
    const wrong = new Float32Array(LABELS.length).fill(0.5)
    await expect(
      exportOnnxModel({ source: sourceFromLayersModel(model), featureLayers: LAYERS, head, labels: LABELS, pixelNormalisation: PIXEL_NORM, file, check: { pixels, count: 1, probabilities: wrong } }),
    ).rejects.toThrow(/self-check failed/)
    expect(fs.existsSync(file)).toBe(false)
    expect(fs.readdirSync(dir).filter((f) => f.includes('wrong'))).toEqual([])
  })

  it('refuses a head whose sizes do not fit the features and labels', async () => {
    const bad = { ...head, bias: new Float32Array(LABELS.length + 1) }
    await expect(
      exportOnnxModel({ source: sourceFromLayersModel(model), featureLayers: LAYERS, head: bad, labels: LABELS, file: path.join(dir, 'bad.onnx') }),
    ).rejects.toThrow(/head bias has 5 values, expected 4/)
  })

  it('exports a head with a hidden ReLU layer: Gemm, Relu, Gemm, sigmoid, like TF.js and like headInJs', async () => {
    const D = head.mean.length
    const H = 7
    const hidden: LinearHead = { ...head, hidden: { kernel: seededUniform(D * H, 31, -1, 1), bias: seededUniform(H, 32, -0.5, 0.5) }, kernel: seededUniform(H * LABELS.length, 33, -1, 1) }
    const pixels = seededUniform(3 * SIZE * SIZE * 3, 34)
    const want = tf.tidy(() => {
      const x = tf.tensor4d(pixels, [3, SIZE, SIZE, 3]).sub(tf.tensor1d(PIXEL_NORM.mean)).div(tf.tensor1d(PIXEL_NORM.std)) as tf.Tensor4D
      const z = tf.tensor2d(tfFeatures(model, LAYERS, x), [3, D]).sub(tf.tensor1d(head.mean)).div(tf.tensor1d(head.std))
      const a = tf.relu(tf.matMul(z, tf.tensor2d(hidden.hidden?.kernel ?? [], [D, H])).add(tf.tensor1d(hidden.hidden?.bias ?? [])))
      return tf.sigmoid(tf.matMul(a, tf.tensor2d(hidden.kernel, [H, LABELS.length])).add(tf.tensor1d(hidden.bias))).dataSync() as Float32Array
    })
    const base = { source: sourceFromLayersModel(model), featureLayers: LAYERS, head: hidden, labels: LABELS, pixelNormalisation: PIXEL_NORM }
    const result = await exportOnnxModel({ ...base, file: path.join(dir, 'hidden.onnx'), check: { pixels, count: 3, probabilities: want } })
    expect(result.selfCheck.maxAbsDiff).toBeLessThan(1e-4)
    // Checked against the head computed here in double precision from the backbone cut's features.
    const fromFeatures = await exportOnnxModel({ ...base, file: path.join(dir, 'hidden-js.onnx') })
    expect(fromFeatures.selfCheck.maxAbsDiff).toBeLessThan(1e-4)
    // Without the hidden layer the same output kernel does not fit the features.
    await expect(exportOnnxModel({ ...base, head: { ...hidden, hidden: undefined }, file: path.join(dir, 'bad-hidden.onnx') })).rejects.toThrow(/head kernel has 28 values, expected 48/)
  })

  it('exports the bundled MobileNetV2 cut with a head and passes its own check', async () => {
    const D = 32 + 96 + 160
    const big: LinearHead = {
      kernel: seededUniform(D * 3, 11, -0.1, 0.1),
      bias: new Float32Array(3),
      mean: seededUniform(D, 12, 0, 1),
      std: seededUniform(D, 13, 0.5, 2),
    }
    const result = await exportOnnxModel({
      source: nsfwjsMobileNetV2Source(),
      featureLayers: ['block_5_add', 'block_12_add', 'block_15_add'],
      head: big,
      labels: ['a', 'b', 'c'],
      file: path.join(dir, 'mobilenet.onnx'),
    })
    expect(result.featureLength).toBe(D)
    expect(result.inputShape).toEqual({ height: 224, width: 224, channels: 3 })
    expect(result.selfCheck.maxAbsDiff).toBeLessThan(1e-4)
  })
})
