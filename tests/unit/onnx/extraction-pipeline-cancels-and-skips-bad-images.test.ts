import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import * as tf from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { decodeRgb, normalise, UNIT_RANGE } from '../../../src-main/core/images/decode.ts'
import { convertBackbone } from '../../../src-main/core/ml/onnx/convert.ts'
import { openOnnxExtractor, type BatchFeatureExtractor } from '../../../src-main/core/ml/onnx/engine.ts'
import { sourceFromLayersModel } from '../../../src-main/core/ml/onnx/layers-source.ts'
import { ProgressMeter } from '../../../src-main/core/jobs/progress-meter.ts'
import { extractInBatches, type Progress } from '../../../src-main/core/ml/extract-pipeline.ts'
import { fixturesDir, maxAbsDiff, randomiseWeights } from './onnx-helpers.ts'

// A small real model on real photos keeps these tests quick; the pipeline does not care which backbone runs.
const SIZE = 32
let dir: string
let images: string[]
let extractor: BatchFeatureExtractor
const decode = (file: string): Promise<Uint8Array> => decodeRgb(file, { size: SIZE })

beforeAll(async () => {
  await tf.setBackend('cpu')
  const model = tf.sequential({
    layers: [
      tf.layers.inputLayer({ inputShape: [SIZE, SIZE, 3], name: 'image' }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu6', name: 'conv' }),
      tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }),
    ],
  })
  randomiseWeights(model, 11)
  const converted = convertBackbone(sourceFromLayersModel(model), { featureLayers: ['conv', 'dw'] })
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-pipeline-'))
  const modelPath = path.join(dir, 'model.onnx')
  fs.writeFileSync(modelPath, converted.bytes)
  extractor = await openOnnxExtractor({ model: modelPath, inputShape: converted.inputShape, inputLayout: 'NHWC', featureLength: converted.featureLength }, { threads: 1 })

  const source = path.join(fixturesDir(), 'apparel-mini', 'clothes_dataset', 'black_dress')
  images = fs
    .readdirSync(source)
    .sort()
    .slice(0, 20)
    .map((f) => {
      fs.copyFileSync(path.join(source, f), path.join(dir, f))
      return path.join(dir, f)
    })
  fs.writeFileSync(path.join(dir, 'broken.jpg'), 'this is not a JPEG')
  images.splice(7, 0, path.join(dir, 'broken.jpg'))
})

afterAll(async () => {
  await extractor.dispose()
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('feature extraction pipeline', () => {
  it('gives each image the features the engine gives it alone, skips and reports a bad image, reports progress', async () => {
    const got = new Map<number, Float32Array>()
    const failures: Array<{ index: number; error: unknown }> = []
    // The pipeline reports counts; time left is the job table's, measured as it measures a job's progress.
    const meter = new ProgressMeter()
    const progress: Array<Progress & { etaSeconds: number | null }> = []
    const summary = await extractInBatches(images, {
      extractor,
      decode,
      normalisation: UNIT_RANGE,
      batchSize: 4,
      onFeatures: (i, f) => {
        got.set(i, f.slice())
      },
      onFailure: (index, error) => failures.push({ index, error }),
      onProgress: (p) => progress.push({ ...p, ...meter.measure({ phase: 'extract', ...p }) }),
    })
    expect(summary).toMatchObject({ total: 21, extracted: 20, failed: 1 })
    expect(failures.map((f) => f.index)).toEqual([7])
    expect(String(failures[0]?.error)).toMatch(/broken\.jpg/)
    expect([...got.keys()].sort((a, b) => a - b)).toEqual([...Array(21).keys()].filter((i) => i !== 7))
    expect(progress.at(-1)).toMatchObject({ done: 21, total: 21, etaSeconds: 0 })
    expect(progress.every((p, i) => i === 0 || p.done >= (progress[i - 1] as Progress).done)).toBe(true)

    for (const i of [0, 8, 20]) {
      const alone = normalise(await decode(images[i] as string), UNIT_RANGE)
      const expected = await extractor.run(alone, 1)
      expect(maxAbsDiff(got.get(i) as Float32Array, expected)).toBeLessThan(1e-5)
    }
  })

  it('keeps decoding at most the prefetch window ahead of the engine', async () => {
    let decodesStarted = 0
    let inferred = 0
    let worstLead = 0
    const counting: BatchFeatureExtractor = {
      ...extractor,
      async run(pixels, count, opts) {
        worstLead = Math.max(worstLead, decodesStarted - inferred)
        const out = await extractor.run(pixels, count, opts)
        inferred += count
        return out
      },
    }
    const many = Array.from({ length: 60 }, (_, i) => images[i % images.length] as string).filter((f) => !f.endsWith('broken.jpg'))
    await extractInBatches(many, {
      extractor: counting,
      decode: (f) => {
        decodesStarted++
        return decode(f)
      },
      normalisation: UNIT_RANGE,
      batchSize: 4,
      prefetchBatches: 2,
      onFeatures: () => undefined,
    })
    expect(inferred).toBe(many.length)
    expect(worstLead).toBeLessThanOrEqual((2 + 1) * 4)
  })

  it('stops within a second of cancel, delivers nothing after it, and says CANCELLED', async () => {
    const many = Array.from({ length: 2000 }, (_, i) => images[i % images.length] as string)
    const controller = new AbortController()
    let abortedAt = 0
    let deliveredAfterSettle = 0
    let settled = false
    const run = extractInBatches(many, {
      extractor,
      decode,
      normalisation: UNIT_RANGE,
      batchSize: 8,
      signal: controller.signal,
      onFeatures: () => {
        if (settled) deliveredAfterSettle++
      },
      onProgress: (p) => {
        if (p.done >= 16 && !controller.signal.aborted) {
          abortedAt = performance.now()
          controller.abort()
        }
      },
    })
    const error = await run.then(
      () => null,
      (e: unknown) => e,
    )
    settled = true
    const stoppedAfterMs = performance.now() - abortedAt
    expect(error).toBeInstanceOf(TagsmithError)
    expect((error as TagsmithError).code).toBe('CANCELLED')
    expect((error as TagsmithError).message).toMatch(/cancelled after \d+ of 2000 images/)
    expect(stoppedAfterMs).toBeLessThan(1000)
    // The engine is still usable after a cancel, and nothing arrives late.
    expect((await extractor.run(normalise(await decode(images[0] as string), UNIT_RANGE), 1)).length).toBe(extractor.featureLength)
    expect(deliveredAfterSettle).toBe(0)
  })

  it('ends with the error a consumer throws, and stops decoding the rest', async () => {
    const many = Array.from({ length: 400 }, (_, i) => images[i % images.length] as string)
    let decodes = 0
    const run = extractInBatches(many, {
      extractor,
      decode: (f) => {
        decodes++
        return decode(f)
      },
      normalisation: UNIT_RANGE,
      batchSize: 4,
      onFeatures: (i) => {
        if (i === 5) throw new Error('feature store is full')
      },
    })
    await expect(run).rejects.toThrow('feature store is full')
    expect(decodes).toBeLessThan(40)
  })

  it('refuses to start when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      extractInBatches(images, { extractor, decode, normalisation: UNIT_RANGE, signal: controller.signal, onFeatures: () => undefined }),
    ).rejects.toThrow(/cancelled after 0 of 21/)
  })
})
