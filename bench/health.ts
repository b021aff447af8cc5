// Dataset health figures: the near-duplicate search on 11,000 synthetic feature rows of the default
// backbone's size (ONNX Runtime blocks; a plain loop on 1,000 rows, scaled up, for comparison); the
// apparel fixture with its real features (the whole report, the search, the pairs it finds); how
// well the default threshold separates re-encoded copies from distinct images there, per feature
// scaling; and the whole report on an 11,675-row project (the fixture's images repeated, so every
// image has exact copies and the pair cap is reached).
// Run alone: npx tsx bench/health.ts
import fs from 'node:fs'
import { createHash } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import sharp from 'sharp'
import { Project } from '../src-main/core/dataset/project.ts'
import { datasetHealth } from '../src-main/core/health/dataset-health.ts'
import { DEFAULT_SIMILARITY, findSimilarPairs, MAX_PAIRS, prepareRows, type FeatureScaling } from '../src-main/core/health/near-duplicates.ts'
import { onnxProducts } from '../src-main/core/health/similarity-blocks.ts'
import { resolveBackbone } from '../src-main/core/ml/backbones/catalog.ts'
import { chooseEngine } from '../src-main/core/ml/backbones/engine-choice.ts'
import { cacheKeyOf } from '../src-main/core/ml/backbones/load.ts'
import { extractInParallel } from '../src-main/core/jobs/extract-parallel.ts'
import { prepVersion } from '../src-main/core/ml/extract.ts'
import { loadFeatureMatrix, putFeatures } from '../src-main/core/ml/feature-cache.ts'
import { makeRng } from '../src-shared/rng.ts'
import { buildLargeDataset } from './dataset.ts'

const ROWS = 11_000
const DIM = 376 // default backbone: pooled block_2/5/9/12/15 of MobileNetV2
const COPIES = 30
const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits

function fixturesDir(): string {
  return process.env.TAGSMITH_FIXTURES ?? path.resolve(import.meta.dirname, '../..', 'shared/fixtures')
}

/** Wall and CPU seconds (all threads of this process) of one call. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage()
  const t = performance.now()
  const result = await work()
  const used = process.cpuUsage(cpu)
  return { result, seconds: (performance.now() - t) / 1000, cpuSeconds: (used.user + used.system) / 1e6 }
}

/** Pooled-feature-like rows: a shared positive part plus noise. */
function syntheticRows(n: number): Float32Array {
  const rng = makeRng(11)
  return new Float32Array(n * DIM).map(() => 1 + rng() * rng() * 3)
}

async function searchFigures(): Promise<Record<string, unknown>> {
  const x = syntheticRows(ROWS)
  const first = await timed(() => findSimilarPairs(x, ROWS, DIM))
  const second = await timed(() => findSimilarPairs(x, ROWS, DIM))
  const loopRows = 1000
  const loop = await timed(() => findSimilarPairs(x, loopRows, DIM, { engine: 'loop' }))
  return {
    'health.search11k.rows': ROWS,
    'health.search11k.dim': DIM,
    'health.search11k.engine': second.result.engine,
    'health.search11k.seconds': round(second.seconds),
    'health.search11k.cpuSeconds': round(second.cpuSeconds),
    'health.search11k.firstRunSeconds': round(first.seconds),
    'health.search11k.loopEngineSecondsExtrapolated': round(loop.seconds * (ROWS / loopRows) ** 2, 1),
  }
}

/** Copies of fixture images shrunk and re-encoded as a user might re-save them. */
async function writeCopies(project: Project, dir: string): Promise<Array<{ of: string; absPath: string; hash: string; id: number }>> {
  const rows = project.images().filter((r) => r.status === 'ok' && r.hash !== null)
  const out: Array<{ of: string; absPath: string; hash: string; id: number }> = []
  for (let k = 0; k < COPIES; k++) {
    const row = rows[(k * 37) % rows.length]
    const src = row ? project.imagePath(row.id) : null
    if (!row?.hash || !src) continue
    const { width } = await sharp(src).metadata()
    const resized = sharp(src).resize({ width: Math.round((width ?? 100) * (k % 2 === 0 ? 0.8 : 0.6)) })
    const kind = k % 3
    const bytes = await (kind === 0 ? resized.jpeg({ quality: 60 }) : kind === 1 ? resized.jpeg({ quality: 95 }) : resized.png()).toBuffer()
    const absPath = path.join(dir, `copy-${k}.${kind === 2 ? 'png' : 'jpg'}`)
    fs.writeFileSync(absPath, bytes)
    out.push({ of: row.hash, absPath, hash: createHash('sha256').update(bytes).digest('hex'), id: 1_000_000 + k })
  }
  return out
}

/** Copy-to-original similarities against the distribution over every pair of distinct fixture images. */
async function separation(x: Float32Array, n: number, dim: number, copies: Array<{ row: number; original: number }>, scaling: FeatureScaling): Promise<Record<string, unknown>> {
  const rows = x.slice()
  prepareRows(rows, n, dim, scaling)
  const bt = new Float32Array(dim * n)
  for (let i = 0; i < n; i++) for (let k = 0; k < dim; k++) bt[k * n + i] = rows[i * dim + k] ?? 0
  const engine = await onnxProducts()
  const { s } = await engine.product(rows, n, bt, n, dim)
  await engine.dispose()
  const copyRows = new Set(copies.map((c) => c.row))
  const distinct: number[] = []
  for (let a = 0; a < n; a++) {
    if (copyRows.has(a)) continue
    for (let b = a + 1; b < n; b++) if (!copyRows.has(b)) distinct.push(s[a * n + b] ?? 0)
  }
  distinct.sort((p, q) => p - q)
  const q = (p: number): number => round(distinct[Math.min(distinct.length - 1, Math.floor(p * distinct.length))] ?? Number.NaN)
  const copySims = copies.map((c) => s[c.row * n + c.original] ?? 0).sort((p, q2) => p - q2)
  return {
    copyMin: round(copySims[0] ?? Number.NaN),
    copyMedian: round(copySims[Math.floor(copySims.length / 2)] ?? Number.NaN),
    copiesAtOrAboveDefault: copySims.filter((v) => v >= DEFAULT_SIMILARITY).length,
    distinctMedian: q(0.5),
    distinctP99: q(0.99),
    distinctP9999: q(0.9999),
    distinctMax: round(distinct[distinct.length - 1] ?? Number.NaN),
    distinctPairsAtOrAboveDefault: distinct.filter((v) => v >= DEFAULT_SIMILARITY).length,
  }
}

export async function bench(): Promise<Record<string, unknown>> {
  const figures: Record<string, unknown> = await searchFigures()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-bench-health-'))
  try {
    const fixture = path.join(fixturesDir(), 'apparel-mini')
    const projectFile = path.join(dir, 'apparel.tagsmith')
    const { project } = await Project.importCsvs({ csvs: [path.join(fixture, 'train.csv'), path.join(fixture, 'val.csv')], projectFile })
    const spec = resolveBackbone(undefined)
    const key = cacheKeyOf(spec)
    const prep = prepVersion(spec)
    const rows = project.images()
    const copies = await writeCopies(project, dir)
    const images = [...rows.map((r) => ({ id: r.id, absPath: project.imagePath(r.id) ?? '', hash: r.hash ?? '' })), ...copies]
    const engine = await chooseEngine(spec)
    await extractInParallel({ dbFile: projectFile, spec, images, engine, cacheDir: path.join(dir, 'cache') })

    const report = await timed(() => datasetHealth(project))
    const pairs = report.result.nearDuplicates.pairs
    figures['health.fixture.rows'] = rows.length
    figures['health.fixture.reportSeconds'] = round(report.seconds)
    figures['health.fixture.nearDuplicatePairs'] = pairs.length
    figures['health.fixture.nearDuplicatePairsAcrossSplits'] = pairs.filter((p) => p.crossSplit).length

    const hashes = rows.map((r) => r.hash ?? '')
    const all = [...hashes, ...copies.map((c) => c.hash)]
    const m = loadFeatureMatrix(project.db, key, prep, all)
    const search = await timed(() => findSimilarPairs(m.x, hashes.length, m.dim))
    figures['health.fixture.searchSeconds'] = round(search.seconds)
    const index = new Map(hashes.map((h, i) => [h, i]))
    const planted = copies.map((c, k) => ({ row: hashes.length + k, original: index.get(c.of) ?? -1 }))
    for (const scaling of ['standardise', 'centre', 'none'] as const) {
      figures[`health.threshold.${scaling}`] = await separation(m.x, all.length, m.dim, planted, scaling)
    }
    figures['health.threshold.note'] = `${copies.length} copies of fixture images at 80% or 60% width, JPEG q60, JPEG q95 or PNG, against their originals; distinct = every pair of the ${rows.length} fixture images (the fixture holds a few re-posted photos of its own); default threshold ${DEFAULT_SIMILARITY}`

    // The whole report on ~11.7k rows: the fixture's images repeated in numbered folders.
    const largeDir = path.join(dir, 'large')
    fs.mkdirSync(largeDir)
    const { project: large } = await Project.importCsvs({ csvs: buildLargeDataset(largeDir), projectFile: path.join(largeDir, 'large.tagsmith') })
    const distinctHashes = [...new Set(hashes)]
    const cached = loadFeatureMatrix(project.db, key, prep, distinctHashes)
    putFeatures(
      large.db,
      key,
      prep,
      distinctHashes.map((hash, i) => ({ hash, data: cached.x.slice(i * cached.dim, (i + 1) * cached.dim) })),
    )
    const largeReport = await timed(() => datasetHealth(large))
    figures['health.report11k.rows'] = large.images().length
    figures['health.report11k.seconds'] = round(largeReport.seconds)
    figures['health.report11k.cpuSeconds'] = round(largeReport.cpuSeconds)
    figures['health.report11k.pairsKept'] = largeReport.result.nearDuplicates.pairs.length
    figures['health.report11k.pairCap'] = MAX_PAIRS
    large.close()
    project.close()
    figures['health.loadAverage1m'] = round(os.loadavg()[0] ?? 0, 2)
    return figures
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.stdout.write(`${JSON.stringify(await bench(), null, 2)}\n`)
}
