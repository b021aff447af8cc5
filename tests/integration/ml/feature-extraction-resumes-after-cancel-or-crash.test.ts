import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { runJob, runJobModule, type JobCounts } from '../../../src-main/core/jobs/run-job.ts'
import { extractInParallel } from '../../../src-main/core/jobs/extract-parallel.ts'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { loadBackbone } from '../../../src-main/core/ml/backbones/load.ts'
import { extractFeatures, prepVersion, type ExtractImage } from '../../../src-main/core/ml/extract.ts'
import { loadFeatureMatrix } from '../../../src-main/core/ml/feature-cache.ts'
import { fixtureImages, tempDir, writeTinyModel } from './helpers.ts'

let dir: string
let modelDir: string
let images: ExtractImage[]

const hashOf = (i: number): string => `hash-${String(i).padStart(3, '0')}`
const featureRows = (dbFile: string): number => {
  const db = openDatabase(dbFile)
  try {
    return Number(db.prepare('SELECT count(*) FROM features').pluck().get())
  } finally {
    db.close()
  }
}

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
  dir = tempDir('extract')
  modelDir = path.join(dir, 'tiny')
  await writeTinyModel(modelDir)
  images = fixtureImages(12).map((absPath, i) => ({ id: i + 1, absPath, hash: hashOf(i) }))
  const broken = path.join(dir, 'broken.jpg')
  fs.writeFileSync(broken, 'not a jpeg at all')
  images.push({ id: 100, absPath: broken, hash: 'hash-broken' })
  images.push({ id: 101, absPath: path.join(dir, 'gone.jpg'), hash: 'hash-gone' })
  // Same content under a second path: computed once.
  images.push({ id: 102, absPath: images[0]?.absPath ?? '', hash: hashOf(0) })
})

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('feature extraction', () => {
  it('commits batch by batch, so a cancelled run resumes with only the missing images', async () => {
    const dbFile = path.join(dir, 'cancel.tagsmith')
    const db = openDatabase(dbFile)
    const spec = resolveBackbone(modelDir, { layers: ['conv_a', 'conv_b'] })
    const extractor = await loadBackbone(spec)
    expect(extractor.dim).toBe(12)
    const controller = new AbortController()
    const first = extractFeatures(db, extractor, images, {
      batchSize: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 4) controller.abort()
      },
    })
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' })
    const afterCancel = Number(db.prepare('SELECT count(*) FROM features').pluck().get())
    expect(afterCancel).toBe(4)

    const second = await extractFeatures(db, extractor, images, { batchSize: 2 })
    expect(second.total).toBe(14) // 12 images + broken + missing; the duplicate path shares a hash
    expect(second.cached).toBe(4)
    expect(second.computed).toBe(8)
    expect(second.skipped.map((s) => s.id).sort()).toEqual([100, 101])
    expect(second.skipped.find((s) => s.id === 100)?.reason).toMatch(/broken\.jpg/)

    const third = await extractFeatures(db, extractor, images, { batchSize: 2 })
    expect(third).toMatchObject({ cached: 12, computed: 0 })

    const m = loadFeatureMatrix(db, extractor.key, prepVersion(spec), [hashOf(0), hashOf(11), 'hash-broken'])
    expect(m.dim).toBe(12)
    expect([...m.missing]).toEqual([2])
    expect(Array.from(m.x.subarray(0, 12)).every(Number.isFinite)).toBe(true)
    extractor.dispose()
    db.close()
  })

  it('keeps what a crashed child committed; the next run computes only the rest', async () => {
    const dbFile = path.join(dir, 'crash.tagsmith')
    openDatabase(dbFile).close()
    const spec = resolveBackbone(modelDir, { layers: ['conv_b'] })
    const good = images.slice(0, 12)
    await expect(
      runJobModule('extract', path.join(import.meta.dirname, 'jobs', 'extract-then-crash.ts'), { dbFile, spec, images: good, batchSize: 3, crashAfter: 6 }),
    ).rejects.toMatchObject({ code: 'INTERNAL' })
    expect(featureRows(dbFile)).toBe(6)
    const resumed = await runJob('extract', { dbFile, spec, images: good, batchSize: 3 })
    expect(resumed).toMatchObject({ total: 12, cached: 6, computed: 6, dim: 8 })
    expect(featureRows(dbFile)).toBe(12)
  })

  it('cancels the bundled backbone in its child process within a second or so, then resumes', async () => {
    const dbFile = path.join(dir, 'bundled.tagsmith')
    openDatabase(dbFile).close()
    const spec = resolveBackbone(undefined)
    // Enough images that the run is still going when the cancel arrives, even on a fast, quiet machine
    // (a few images are done before the first progress report reaches this process).
    const good = fixtureImages(48).map((absPath, i) => ({ id: i + 1, absPath, hash: hashOf(i) }))
    const controller = new AbortController()
    let abortedAt = 0
    const first = runJob('extract', { dbFile, spec, images: good, batchSize: 2 }, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'extract' && p.done >= 2 && !controller.signal.aborted) {
          abortedAt = performance.now()
          controller.abort()
        }
      },
    })
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' })
    // cancel message, then SIGKILL after 1 s at the latest; allow for a loaded machine
    expect(performance.now() - abortedAt).toBeLessThan(2500)
    const kept = featureRows(dbFile)
    expect(kept).toBeGreaterThanOrEqual(2)
    expect(kept).toBeLessThan(good.length)
    const resumed = await runJob('extract', { dbFile, spec, images: good, batchSize: 4 })
    expect(resumed).toMatchObject({ total: good.length, cached: kept, computed: good.length - kept, dim: 376 })
    expect(resumed.key).toBe('nsfwjs-mobilenetv2:block_2_add+block_5_add+block_9_add+block_12_add+block_15_add')
    expect(resumed.backend.backend).toBeTruthy()
  })

  it('splits the work over two processes: every image once, progress summed, a broken image reported once', async () => {
    const dbFile = path.join(dir, 'parallel.tagsmith')
    openDatabase(dbFile).close()
    const spec = resolveBackbone(modelDir, { layers: ['conv_a'] })
    const progress: JobCounts[] = []
    const result = await extractInParallel({ dbFile, spec, images, batchSize: 2 }, { workers: 2, onProgress: (p) => progress.push(p) })
    expect(result).toMatchObject({ total: 14, cached: 0, computed: 12, dim: 4 })
    expect(result.skipped.map((s) => s.id).sort()).toEqual([100, 101])
    expect(featureRows(dbFile)).toBe(12)
    const last = progress.at(-1)
    expect(last).toMatchObject({ phase: 'extract', done: 14, total: 14 })
    expect(progress.every((p) => p.total === 14)).toBe(true)
    const again = await extractInParallel({ dbFile, spec, images, batchSize: 2 }, { workers: 2 })
    expect(again).toMatchObject({ cached: 12, computed: 0 })
  })
})
