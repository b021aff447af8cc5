import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeRgb, normalise } from '../../../src-main/core/images/decode.ts'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { nsfwjsArtifacts } from '../../../src-main/core/ml/backbones/artifacts.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { backboneKey, loadBackbone, type FeatureExtractor } from '../../../src-main/core/ml/backbones/load.ts'
import { openOnnxBackbone } from '../../../src-main/core/ml/onnx/backbone.ts'
import { fixturesDir, maxAbsDiff } from './onnx-helpers.ts'

// The bundled default backbone, cut at its mid-level blocks, on real photos from the fixture:
// ONNX Runtime must give the features the TF.js engine gives, so cached features are interchangeable.
const spec = resolveBackbone('nsfwjs-mobilenetv2')
const images = ['black_dress', 'blue_pants', 'red_shoes', 'white_shorts', 'green_shirt', 'brown_shoes'].map((folder) => {
  const dir = path.join(fixturesDir(), 'apparel-mini', 'clothes_dataset', folder)
  return path.join(dir, fs.readdirSync(dir).sort()[0] as string)
})

let cacheDir: string
let tfjs: FeatureExtractor
let pixels: Float32Array

beforeAll(async () => {
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-onnx-'))
  await initBackend({ only: ['wasm'] })
  tfjs = await loadBackbone(spec)
  const per = spec.inputSize * spec.inputSize * 3
  pixels = new Float32Array(images.length * per)
  for (const [i, file] of images.entries()) {
    normalise(await decodeRgb(file, { size: spec.inputSize }), spec.normalisation, pixels.subarray(i * per, (i + 1) * per))
  }
})

afterAll(() => {
  tfjs.dispose()
  fs.rmSync(cacheDir, { recursive: true, force: true })
})

describe('nsfwjs MobileNetV2 on ONNX Runtime', () => {
  it('gives the TF.js features (the catalog feature layers, pooled) within 1e-4 on real images', async () => {
    const onnx = await openOnnxBackbone({ spec, key: backboneKey(spec), artifacts: nsfwjsArtifacts('nsfwjs', 'models/mobilenet_v2'), cacheDir })
    try {
      expect(onnx.dim).toBe(tfjs.dim)
      expect(onnx.key).toBe(tfjs.key)
      const reference = await tfjs.extract(pixels.slice(), images.length)
      const actual = await onnx.extract(pixels, images.length)
      expect(maxAbsDiff(actual, reference)).toBeLessThan(1e-4)
      // Real activations, not a degenerate all-zero output.
      expect(Math.max(...reference)).toBeGreaterThan(0.5)
    } finally {
      onnx.dispose()
    }
  })

  it('converts once and reuses the cached model the second time', async () => {
    const artifacts = nsfwjsArtifacts('nsfwjs', 'models/mobilenet_v2')
    const dir = path.join(cacheDir, 'second')
    const first = await openOnnxBackbone({ spec, key: backboneKey(spec), artifacts, cacheDir: dir, engine: { worker: false } })
    first.dispose()
    expect(first.conversion.fromCache).toBe(false)
    const second = await openOnnxBackbone({ spec, key: backboneKey(spec), artifacts, cacheDir: dir, engine: { worker: false } })
    try {
      expect(second.conversion.fromCache).toBe(true)
      expect(second.conversion.modelPath).toBe(first.conversion.modelPath)
      expect(second.conversion.meta.macs).toBeGreaterThan(100e6)
      const one = await second.extract(pixels.slice(0, spec.inputSize * spec.inputSize * 3), 1)
      const reference = await tfjs.extract(pixels.slice(0, spec.inputSize * spec.inputSize * 3), 1)
      expect(maxAbsDiff(one, reference)).toBeLessThan(1e-4)
    } finally {
      second.dispose()
    }
  })
})
