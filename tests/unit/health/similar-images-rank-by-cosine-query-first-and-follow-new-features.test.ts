import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { featureSource, type FeatureSource } from '../../../src-main/core/health/feature-source.ts'
import { SimilarityIndex, similarImages } from '../../../src-main/core/health/similar-images.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { cacheKeyOf } from '../../../src-main/core/ml/backbones/load.ts'
import { prepVersion } from '../../../src-main/core/ml/extract.ts'
import { putFeatures } from '../../../src-main/core/ml/feature-cache.ts'
import { composeKey } from '../../../src-main/core/ml/feature-key.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { insertRun, type NewRun } from '../../../src-main/core/ml/runs.ts'
import { DEFAULT_TRAIN_CONFIG } from '../../../src-main/core/ml/train.ts'
import { apparelProject, newService } from '../service/helpers.ts'

const DIM = 16

/** Random feature vectors for the project's images (all but the last `without`), under one cache part. */
function storeFeatures(project: Project, key: string, prep: number, seed: number, without = 0): Map<number, Float32Array> {
  const rng = makeRng(seed)
  const rows = project.images()
  const out = new Map<number, Float32Array>()
  for (const r of rows.slice(0, rows.length - without)) {
    if (r.hash === null) continue
    const v = Float32Array.from({ length: DIM }, () => rng() - 0.3)
    putFeatures(project.db, key, prep, [{ hash: r.hash, data: v }])
    out.set(r.id, v)
  }
  return out
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0
  let aa = 0
  let bb = 0
  for (let k = 0; k < a.length; k++) {
    ab += (a[k] ?? 0) * (b[k] ?? 0)
    aa += (a[k] ?? 0) ** 2
    bb += (b[k] ?? 0) ** 2
  }
  return ab / Math.sqrt(aa * bb)
}

/** The answer a direct computation gives: the query, then the others by cosine, highest first. */
function expected(features: Map<number, Float32Array>, query: number, top: number): Array<{ id: number; similarity: number }> {
  const q = features.get(query) as Float32Array
  const others = [...features].filter(([id]) => id !== query).map(([id, v]) => ({ id, similarity: cosine(q, v) }))
  others.sort((a, b) => b.similarity - a.similarity)
  return [{ id: query, similarity: 1 }, ...others].slice(0, top)
}

function addRun(project: Project, key: string, name: string): number {
  const run: NewRun = {
    config: { ...DEFAULT_TRAIN_CONFIG, epochs: 1 },
    backbone: { id: key, key, name, source: 'bundled', featureLayers: ['l'], inputSize: 8, normalisation: { mean: [0, 0, 0], std: [1, 1, 1] }, prep: 1 },
    labels: project.labels(),
    labelSnapshot: '0'.repeat(64),
    history: [],
    metrics: { n: 0, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} },
    thresholds: null,
    groups: null,
    backend: 'cpu',
    head: { dim: 1, numLabels: 1, mean: Float32Array.from([0]), scale: Float32Array.from([1]), kernel: new Float32Array(1), bias: new Float32Array(1) },
    timings: { extractSeconds: 0, trainSeconds: 0 },
  }
  return insertRun(project.db, run)
}

describe('similar images', () => {
  it('ranks by cosine of the cached features, the query first, and counts the images without features', async () => {
    const project = Project.open(await apparelProject(12))
    try {
      const spec = resolveBackbone(undefined)
      const features = storeFeatures(project, cacheKeyOf(spec), prepVersion(spec), 1, 2)
      const index = new SimilarityIndex()
      const query = [...features.keys()][3] as number
      const answer = similarImages(project, index, { imageId: query, top: 6 })
      expect(answer).toMatchObject({ query, runId: null, featureKey: cacheKeyOf(spec), features: spec.name, missing: 2 })
      const want = expected(features, query, 6)
      expect(answer.items.map((i) => i.id)).toEqual(want.map((i) => i.id))
      answer.items.forEach((item, i) => expect(item.similarity).toBeCloseTo(want[i]?.similarity ?? NaN, 5))
      // Default top: every image with features (fewer than 200).
      expect(similarImages(project, index, { imageId: query }).items).toHaveLength(10)

      const rows = project.images()
      const without = rows[rows.length - 1]
      expect(() => similarImages(project, index, { imageId: without?.id ?? 0 })).toThrow(`${without?.path} has no features for ${spec.name}: train or extract first`)
      expect(() => similarImages(project, index, { imageId: 9999 })).toThrow('no image with id 9999')

      // One matrix per feature key, kept while nothing it was built from changes.
      const source = featureSource(project.db) as FeatureSource
      const kept = index.matrix(project, source)
      project.edits.setLabels([{ imageId: query, label: project.labels()[0] as string, value: 1 }])
      expect(index.matrix(project, source)).toBe(kept)
      putFeatures(project.db, source.key, source.prep, [{ hash: without?.hash as string, data: new Float32Array(DIM).fill(1) }])
      const rebuilt = index.matrix(project, source)
      expect(rebuilt).not.toBe(kept)
      expect(rebuilt.missing).toBe(1)
      expect(similarImages(project, index, { imageId: without?.id ?? 0, top: 1 }).items).toEqual([{ id: without?.id, similarity: expect.closeTo(1, 6) }])
    } finally {
      project.close()
    }
  })

  it("compares the asked run's features (a composite key joins its parts), the latest run's by default", async () => {
    const project = Project.open(await apparelProject(8))
    try {
      const first = addRun(project, composeKey([{ key: 'a:x', prep: 1 }, { key: 'a:y', prep: 2 }]), 'Composite')
      const x = storeFeatures(project, 'a:x', 1, 2)
      const y = storeFeatures(project, 'a:y', 2, 3)
      const joined = new Map([...x].map(([id, v]) => [id, Float32Array.from([...v, ...(y.get(id) ?? [])])]))
      const second = addRun(project, 'b:z', 'Plain')
      const z = storeFeatures(project, 'b:z', 1, 4)
      const index = new SimilarityIndex()
      const query = [...x.keys()][0] as number

      const latest = similarImages(project, index, { imageId: query, top: 8 })
      expect(latest).toMatchObject({ runId: second, featureKey: 'b:z', features: 'Plain', missing: 0 })
      expect(latest.items.map((i) => i.id)).toEqual(expected(z, query, 8).map((i) => i.id))

      const composite = similarImages(project, index, { imageId: query, runId: first, top: 8 })
      expect(composite).toMatchObject({ runId: first, features: 'Composite' })
      const want = expected(joined, query, 8)
      expect(composite.items.map((i) => i.id)).toEqual(want.map((i) => i.id))
      composite.items.forEach((item, i) => expect(item.similarity).toBeCloseTo(want[i]?.similarity ?? NaN, 5))
      expect(index.size).toBe(2)
    } finally {
      project.close()
    }
  })

  it('keeps the normalised matrix between queries and builds it again when new features are cached', async () => {
    const service = newService()
    const file = await apparelProject(10)
    await service.request('project:open', { file })
    const project = service.project as Project
    const spec = resolveBackbone(undefined)
    const key = cacheKeyOf(spec)
    const prep = prepVersion(spec)
    const features = storeFeatures(project, key, prep, 5, 3)
    const query = [...features.keys()][0] as number
    const before = await service.request('images:similar', { imageId: query })
    expect(before.items).toHaveLength(7)
    expect(before.missing).toBe(3)
    // Label edits change the file, not the features: the answer stays.
    const label = project.labels()[0] as string
    await service.request('labels:set', { changes: [{ imageId: query, label, value: 1 }] })
    expect(await service.request('images:similar', { imageId: query })).toEqual(before)

    // Features for the three images without any (as an extraction would write them, from another connection).
    const other = Project.open(file)
    const rng = makeRng(9)
    const added = new Map<number, Float32Array>()
    try {
      for (const r of other.images().slice(-3)) {
        const v = Float32Array.from({ length: DIM }, () => rng() - 0.3)
        putFeatures(other.db, key, prep, [{ hash: r.hash as string, data: v }])
        added.set(r.id, v)
      }
    } finally {
      other.close()
    }
    const after = await service.request('images:similar', { imageId: query })
    expect(after.missing).toBe(0)
    const want = expected(new Map([...features, ...added]), query, 200)
    expect(after.items.map((i) => i.id)).toEqual(want.map((i) => i.id))
    await expect(service.request('images:similar', { imageId: 999 })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no image with id 999' })
  })

  it('says so when the project has no cached features at all', async () => {
    const service = newService()
    await service.request('project:open', { file: await apparelProject(4) })
    await expect(service.request('images:similar', { imageId: 1 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('train or extract first'),
    })
  })
})
