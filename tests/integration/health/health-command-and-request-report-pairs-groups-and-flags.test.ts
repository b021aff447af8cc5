import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import type { JobEnded, JobProgress } from '../../../src-preload/contract.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { datasetHealth, NearDuplicateMemo } from '../../../src-main/core/health/dataset-health.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { cacheKeyOf } from '../../../src-main/core/ml/backbones/load.ts'
import { prepVersion } from '../../../src-main/core/ml/extract.ts'
import { loadFeatureMatrix, putFeatures } from '../../../src-main/core/ml/feature-cache.ts'
import { setProjectGroups } from '../../../src-main/core/ml/label-groups.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { repoRoot, tempDir, writeText } from '../../unit/dataset/helpers.ts'

// Features written straight into the cache under the default backbone's key (no extraction): e.png's
// are a.png's with a little noise, so (a, e) is the one near-duplicate pair, across train and val.
async function project(): Promise<{ file: string; dir: string }> {
  const dir = tempDir()
  const colours = ['#c00', '#0c0', '#00c', '#cc0', '#0cc']
  for (const [i, name] of ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'].entries()) {
    await sharp({ create: { width: 8, height: 8, channels: 3, background: colours[i] ?? '#000' } }).png().toFile(join(dir, name))
  }
  const train = writeText(dir, 'train.csv', 'image,cat,dog\na.png,1,0\nb.png,1,1\nc.png,0,1\nd.png,0,1\n')
  const val = writeText(dir, 'val.csv', 'image,cat,dog\ne.png,1,0\ngone.png,0,0\n')
  const file = join(dir, 'pets.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [train, val], projectFile: file })
  try {
    setProjectGroups(project, [['cat', 'dog']])
    const spec = resolveBackbone(undefined)
    const rng = makeRng(3)
    const dim = 64
    const byPath = new Map<string, Float32Array>()
    for (const r of project.images()) {
      if (r.hash === null) continue
      const base = r.path === 'e.png' ? byPath.get('a.png') : undefined
      const v = Float32Array.from({ length: dim }, (_, k) => (base ? (base[k] ?? 0) + 0.01 * rng() : 2 + rng()))
      byPath.set(r.path, v)
      putFeatures(project.db, cacheKeyOf(spec), prepVersion(spec), [{ hash: r.hash, data: v }])
    }
  } finally {
    project.close()
  }
  return { file, dir }
}

function tagsmith(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'tagsmith.mjs'), ...args], { cwd: repoRoot }, (err, stdout, stderr) => {
      resolve({ code: err && typeof err.code === 'number' ? err.code : err ? -1 : 0, stdout, stderr })
    })
  })
}

describe('tagsmith health', () => {
  it('prints the report as JSON with image paths beside ids, and as text', async () => {
    const { file } = await project()
    const json = await tagsmith('health', file, '--json')
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout)
    expect(report.perSplit.train).toEqual({ images: 4, positives: [2, 3], emptyCells: 0 })
    expect(report.groupViolations).toEqual([{ group: ['cat', 'dog'], imageIds: [2, 6], images: ['b.png', 'gone.png'] }])
    expect(report.flagged).toEqual({ missing: [6], corrupt: [], outside: [] })
    expect(report.flaggedImages).toEqual({ missing: ['gone.png'], corrupt: [], outside: [] })
    expect(report.nearDuplicates).toMatchObject({ threshold: 0.9, withoutFeatures: 1 })
    expect(report.nearDuplicates.pairs).toEqual([
      { a: 1, b: 5, similarity: expect.any(Number), crossSplit: true, imageA: 'a.png', imageB: 'e.png', splitA: 'train', splitB: 'val' },
    ])
    expect(report.nearDuplicates.pairs[0].similarity).toBeGreaterThan(0.99)

    const text = await tagsmith('health', file, '--similarity', '0.95')
    expect(text.code).toBe(0)
    expect(text.stdout).toContain('cat | dog: 2 images')
    expect(text.stdout).toContain('Flagged images: 1 missing, 0 corrupt, 0 outside the dataset folder')
    expect(text.stdout).toContain('Near-duplicates (similarity >= 0.95')
    expect(text.stdout).toContain('1 pair, 1 across splits')
    expect(text.stdout).toMatch(/0\.99\d {2}train\/val {2}a\.png {2}e\.png/)

    const bad = await tagsmith('health', file, '--similarity', '2')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--similarity: bad value "2"')
  }, 60_000)
})

describe('health:get', () => {
  it('answers the report as a job with progress and an end, and refuses without a project or with a bad threshold', async () => {
    const { file, dir } = await project()
    const configDir = join(dir, 'config')
    mkdirSync(configDir)
    const service = new Service({ configDir, mode: 'web', version: '0.0.0-test' })
    const progress: JobProgress[] = []
    const ended: JobEnded[] = []
    const off = [service.events['job:progress'].on((p) => progress.push(p)), service.events['job:ended'].on((e) => ended.push(e))]
    try {
      await expect(service.request('health:get', {})).rejects.toMatchObject({ code: 'CONFLICT' })
      await service.request('project:open', { file })
      await expect(service.request('health:get', { similarity: 2 })).rejects.toMatchObject({ code: 'BAD_INPUT' })
      const answer = await service.request('health:get', { similarity: 0.95 })
      const opened = Project.open(file)
      try {
        expect(answer).toEqual(await datasetHealth(opened, { similarity: 0.95 }))
      } finally {
        opened.close()
      }
      expect(answer.nearDuplicates.pairs.map((p) => [p.a, p.b, p.crossSplit])).toEqual([[1, 5, true]])
      const jobs = ended.filter((e) => e.kind === 'health')
      expect(jobs).toEqual([{ jobId: expect.any(String), kind: 'health', status: 'done' }])
      const last = progress.filter((p) => p.jobId === jobs[0]?.jobId).at(-1)
      expect(last).toMatchObject({ phase: 'near-duplicates', done: 1, total: 1 })
    } finally {
      for (const stop of off) stop()
      service.close()
    }
  })
})

describe('the near-duplicate memo', () => {
  it('reuses the last search across label edits and split changes, and searches again when the cache or threshold changes', async () => {
    const { file } = await project()
    const opened = Project.open(file)
    try {
      const spec = resolveBackbone(undefined)
      const key = cacheKeyOf(spec)
      const prep = prepVersion(spec)
      const eHash = opened.image(5)?.hash ?? ''
      const eFeatures = loadFeatureMatrix(opened.db, key, prep, [eHash]).x
      const put = (hash: string, data: Float32Array): void => putFeatures(opened.db, key, prep, [{ hash, data }])
      const rng = makeRng(41)
      const unrelated = (): Float32Array => Float32Array.from({ length: 64 }, () => 2 + rng())
      const memo = new NearDuplicateMemo()
      const pairsOf = async (opts: { memo?: NearDuplicateMemo; similarity?: number } = {}): Promise<Array<[number, number, boolean]>> =>
        (await datasetHealth(opened, { memo, ...opts })).nearDuplicates.pairs.map((p) => [p.a, p.b, p.crossSplit])
      expect(await pairsOf()).toEqual([[1, 5, true]])

      // A cached row never changes for a content hash; overwriting e.png's tells a reused search from a new one.
      put(eHash, unrelated())
      opened.setSplit([5], 'train')
      opened.edits.setLabels([{ imageId: 1, label: 'dog', value: 1 }])
      expect(await pairsOf()).toEqual([[1, 5, false]])
      expect(await pairsOf({ memo: undefined })).toEqual([])
      expect(await pairsOf({ similarity: 0.95 })).toEqual([])

      // New rows in the cache (an extraction ran) start a new search.
      put(eHash, eFeatures)
      expect(await pairsOf({ similarity: 0.95 })).toEqual([])
      put('another-image', unrelated())
      expect(await pairsOf({ similarity: 0.95 })).toEqual([[1, 5, false]])
    } finally {
      opened.close()
    }
  })
})
