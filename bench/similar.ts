// Similar images on an 11,675-row project (the apparel fixture's images repeated, bench/dataset.ts) whose
// features are cached under the Default preset's parts (the backbone's 376 pooled features and 178 colour
// statistics, joined: 554 per image; random values, as only the sizes matter to the time): the first query
// (which loads and normalises the matrix; the cache filled to 11k rows a part), later queries (one matrix-vector product and the sort), a query
// after a label edit (the file changed: the matrix is checked, not rebuilt), and queries through the service.
// Opt-in: npm run bench -- similar (or npx tsx bench/similar.ts)
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Project } from '../src-main/core/dataset/project.ts'
import { featureSource } from '../src-main/core/health/feature-source.ts'
import { SimilarityIndex, similarImages } from '../src-main/core/health/similar-images.ts'
import { resolveChoice } from '../src-main/core/ml/backbones/presets.ts'
import { putFeatures } from '../src-main/core/ml/feature-cache.ts'
import { featureKeyOf, featureParts } from '../src-main/core/ml/feature-parts.ts'
import { makeRng } from '../src-shared/rng.ts'
import { insertRun } from '../src-main/core/ml/runs.ts'
import { DEFAULT_TRAIN_CONFIG } from '../src-main/core/ml/train.ts'
import { Service } from '../src-main/core/service/index.ts'
import { buildLargeDataset } from './dataset.ts'

export const optIn = true

/** Sizes of the Default preset's parts: pooled MobileNetV2 taps, then colour histograms. */
const PART_DIMS = [376, 178]
const QUERIES = 200
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN
}

function spread(ms: number[]): { p50: number; p95: number; max: number } {
  const s = [...ms].sort((a, b) => a - b)
  return { p50: round(percentile(s, 0.5)), p95: round(percentile(s, 0.95)), max: round(s[s.length - 1] ?? NaN) }
}

/** Features under each part of the Default preset for every distinct image, and a run trained on them. */
function cacheFeatures(project: Project): string {
  const { spec } = resolveChoice({})
  const parts = featureParts(spec)
  const rng = makeRng(5)
  const hashes = [...new Set(project.images().flatMap((r) => (r.hash === null ? [] : [r.hash])))]
  // The fixture repeated has ~1.2k distinct images; the cache of 11k distinct ones holds 11k rows a part,
  // which the check after an edit counts: rows for made-up hashes fill it to that size.
  const distinct = project.images().length
  for (let i = 0; hashes.length < distinct; i++) hashes.push(`padding${String(i).padStart(56, '0')}`)
  parts.forEach((part, p) => {
    const dim = PART_DIMS[p] ?? 64
    putFeatures(
      project.db,
      part.key,
      part.prep,
      hashes.map((hash) => ({ hash, data: Float32Array.from({ length: dim }, () => rng() * rng() * 3) })),
    )
  })
  const key = featureKeyOf(spec)
  insertRun(project.db, {
    config: { ...DEFAULT_TRAIN_CONFIG, epochs: 1 },
    backbone: { id: spec.id, key, name: 'Default', source: 'bundled', featureLayers: spec.featureLayers, inputSize: spec.inputSize, normalisation: spec.normalisation, prep: parts[0]?.prep ?? 1 },
    labels: project.labels(),
    labelSnapshot: '0'.repeat(64),
    history: [],
    metrics: { n: 0, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} },
    thresholds: null,
    groups: null,
    backend: 'cpu',
    head: { dim: 1, numLabels: 1, mean: Float32Array.from([0]), scale: Float32Array.from([1]), kernel: new Float32Array(1), bias: new Float32Array(1) },
    timings: { extractSeconds: 0, trainSeconds: 0 },
  })
  return key
}

export async function bench(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-bench-similar-'))
  try {
    const projectFile = path.join(dir, 'large.tagsmith')
    const { project } = await Project.importCsvs({ csvs: buildLargeDataset(dir), projectFile })
    const key = cacheFeatures(project)
    const ids = project.images().map((r) => r.id)
    const rng = makeRng(7)
    const pick = (): number => ids[Math.floor(rng() * ids.length)] ?? 1

    const index = new SimilarityIndex()
    let t = performance.now()
    const first = similarImages(project, index, { imageId: pick() })
    const firstMs = performance.now() - t
    const source = featureSource(project.db)
    const m = source ? index.matrix(project, source) : null
    const query: number[] = []
    for (let i = 0; i < QUERIES; i++) {
      const imageId = pick()
      t = performance.now()
      similarImages(project, index, { imageId })
      query.push(performance.now() - t)
    }
    const top5000: number[] = []
    for (let i = 0; i < 20; i++) {
      const imageId = pick()
      t = performance.now()
      similarImages(project, index, { imageId, top: 5000 })
      top5000.push(performance.now() - t)
    }
    // After a label edit the file has changed: the matrix's sources are checked again, and it is kept.
    const afterEdit: number[] = []
    const label = project.labels()[0] ?? ''
    for (let i = 0; i < 20; i++) {
      const imageId = pick()
      project.edits.setLabels([{ imageId, label, value: i % 2 === 0 ? 1 : 0 }])
      t = performance.now()
      similarImages(project, index, { imageId })
      afterEdit.push(performance.now() - t)
    }
    project.close()

    // Through the service, as the app asks (input checked, the matrix kept in the service).
    const configDir = path.join(dir, 'config')
    fs.mkdirSync(configDir)
    const service = new Service({ configDir, mode: 'web', version: 'bench' })
    const serviceMs: number[] = []
    let serviceFirstMs = NaN
    try {
      await service.request('project:open', { file: projectFile })
      for (let i = 0; i <= QUERIES; i++) {
        const imageId = pick()
        t = performance.now()
        await service.request('images:similar', { imageId })
        if (i === 0) serviceFirstMs = performance.now() - t
        else serviceMs.push(performance.now() - t)
      }
    } finally {
      service.close()
    }
    return {
      'similar.rows': ids.length,
      'similar.rowsWithFeatures': m?.ids.length ?? 0,
      'similar.dim': m?.dim ?? 0,
      'similar.featureKey': key,
      'similar.answered': first.items.length,
      'similar.firstQueryMs': round(firstMs),
      'similar.queryMs': spread(query),
      'similar.queryTop5000Ms': spread(top5000),
      'similar.queryAfterLabelEditMs': spread(afterEdit),
      'similar.service.firstQueryMs': round(serviceFirstMs),
      'similar.service.queryMs': spread(serviceMs),
      'similar.loadAverage1m': round(os.loadavg()[0] ?? 0),
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`)
}
