import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { loadBackbone, type FeatureExtractor } from '../../../src-main/core/ml/backbones/load.ts'
import { extractFeatures, prepVersion, type ExtractImage } from '../../../src-main/core/ml/extract.ts'
import { extractImages } from '../../../src-main/core/ml/extract-images.ts'
import { loadFeatureMatrix, cachedHashes } from '../../../src-main/core/ml/feature-cache.ts'
import { colourPrep, featureKeyOf, featureParts } from '../../../src-main/core/ml/feature-parts.ts'
import { decodeRgb } from '../../../src-main/core/images/decode.ts'
import { colourDesign, colourDim, colourPartKey } from '../../../src-main/core/ml/parts/colour-designs.ts'
import { computeColourStatistics } from '../../../src-main/core/ml/parts/colour-statistics.ts'
import { fixtureImages, tempDir, writeTinyModel } from './helpers.ts'

let dir: string
let modelDir: string
let images: ExtractImage[]

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
  dir = tempDir('parts')
  modelDir = path.join(dir, 'tiny')
  await writeTinyModel(modelDir)
  images = fixtureImages(6).map((absPath, i) => ({ id: i + 1, absPath, hash: `hash-${i}` }))
})

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

/** The extractor, counting the images it is asked to run. */
function counting(extractor: FeatureExtractor): { extractor: FeatureExtractor; ran: () => number } {
  let ran = 0
  return {
    extractor: {
      ...extractor,
      extract: (pixels, n, opts) => {
        ran += n
        return extractor.extract(pixels, n, opts)
      },
    },
    ran: () => ran,
  }
}

describe('composite features', () => {
  it('adding colour statistics to cached backbone features computes only the colour part', async () => {
    const db = openDatabase(path.join(dir, 'add.tagsmith'))
    const plain = resolveBackbone(modelDir, { layers: ['conv_a', 'conv_b'] })
    const first = counting(await loadBackbone(plain))
    const before = await extractFeatures(db, first.extractor, images)
    expect(first.ran()).toBe(6)
    expect(before.computed).toBe(6)

    const composite = { ...plain, colour: 'histograms' }
    const colour = { key: colourPartKey('histograms', plain.inputSize), prep: colourPrep('histograms'), design: colourDesign('histograms').design }
    const second = counting(await loadBackbone(plain))
    const added = await extractFeatures(db, second.extractor, images, { colour })
    // The backbone ran on no image; every image gained its colour part.
    expect(second.ran()).toBe(0)
    expect(added.computed).toBe(6)
    const hashes = images.map((i) => i.hash)
    expect(cachedHashes(db, featureKeyOf(composite), prepVersion(composite), hashes).size).toBe(6)

    // The joined matrix is the backbone's features, then the colour statistics of the same decode.
    const joined = loadFeatureMatrix(db, featureKeyOf(composite), prepVersion(composite), hashes)
    const backbone = loadFeatureMatrix(db, first.extractor.key, prepVersion(plain), hashes)
    expect(joined.missing.size).toBe(0)
    expect(joined.dim).toBe(backbone.dim + colourDim('histograms'))
    const rgb = await decodeRgb(images[2]?.absPath ?? '', { size: plain.inputSize })
    const want = computeColourStatistics(rgb, plain.inputSize, colourDesign('histograms').design)
    const row = joined.x.subarray(2 * joined.dim, 3 * joined.dim)
    expect(Array.from(row.subarray(0, backbone.dim))).toEqual(Array.from(backbone.x.subarray(2 * backbone.dim, 3 * backbone.dim)))
    expect(Array.from(row.subarray(backbone.dim))).toEqual(Array.from(want))

    // A third run finds everything cached and runs nothing.
    const third = counting(await loadBackbone(plain))
    const again = await extractFeatures(db, third.extractor, images, { colour })
    expect(third.ran()).toBe(0)
    expect(again.computed).toBe(0)
    expect(again.cached).toBe(6)
    db.close()
  })

  it('a fresh composite extraction runs the backbone once per image and fills both parts; the result names the composite key', async () => {
    const db = openDatabase(path.join(dir, 'fresh.tagsmith'))
    const spec = { ...resolveBackbone(modelDir, { layers: ['conv_a', 'conv_b'] }), colour: 'histograms' }
    const result = await extractImages(db, { spec, images, engine: 'cpu' })
    expect(result.key).toBe(featureKeyOf(spec))
    expect(featureParts(spec)).toHaveLength(2)
    expect(result.computed).toBe(6)
    expect(result.dim).toBe(12 + colourDim('histograms'))
    for (const part of featureParts(spec)) expect(cachedHashes(db, part.key, part.prep, images.map((i) => i.hash)).size).toBe(6)
    db.close()
  })

  it('a composite matrix is missing a row when any part lacks it', () => {
    const db = openDatabase(path.join(dir, 'partial.tagsmith'))
    const spec = { ...resolveBackbone(modelDir, { layers: ['conv_a', 'conv_b'] }), colour: 'histograms' }
    const [cnn] = featureParts(spec)
    if (!cnn) throw new Error('no parts')
    db.prepare('INSERT INTO features (hash, backbone, prep, dim, data) VALUES (?, ?, ?, ?, ?)').run('only-cnn', cnn.key, cnn.prep, 1, Buffer.from(new Float32Array([1]).buffer))
    const m = loadFeatureMatrix(db, featureKeyOf(spec), prepVersion(spec), ['only-cnn'])
    expect([...m.missing]).toEqual([0])
    db.close()
  })
})
