import fs from 'node:fs'
import path from 'node:path'
import sharp, { type Sharp } from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { DEFAULT_SIMILARITY } from '../../../src-main/core/health/near-duplicates.ts'
import { datasetHealth } from '../../../src-main/core/health/dataset-health.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { chooseEngine } from '../../../src-main/core/ml/backbones/engine-choice.ts'
import { extractInParallel } from '../../../src-main/core/jobs/extract-parallel.ts'
import { apparelDir, copyFixtureSubset, tempDir } from '../ml/helpers.ts'

// Copies of three train images, shrunk to 80% and re-encoded (JPEG at two qualities, PNG), planted in
// val: the search over the default backbone's real features must find exactly those three pairs, across
// splits, and no pair of distinct images.
const PLANTED = [
  { row: 2, file: 'planted/copy-q70.jpg', encode: (s: Sharp) => s.jpeg({ quality: 70 }) },
  { row: 9, file: 'planted/copy-q92.jpg', encode: (s: Sharp) => s.jpeg({ quality: 92 }) },
  { row: 17, file: 'planted/copy.png', encode: (s: Sharp) => s.png() },
]

let dir: string
let projectFile: string

beforeAll(async () => {
  dir = tempDir('health')
  copyFixtureSubset(dir, 'train.csv', 24)
  copyFixtureSubset(dir, 'val.csv', 6)
  const trainLines = fs.readFileSync(path.join(dir, 'train.csv'), 'utf8').trimEnd().split('\n')
  const extra: string[] = []
  for (const [i, p] of PLANTED.entries()) {
    const cells = (trainLines[p.row + 1] ?? '').split(',')
    const source = path.join(apparelDir(), cells[1] ?? '')
    const { width } = await sharp(source).metadata()
    fs.mkdirSync(path.join(dir, 'planted'), { recursive: true })
    await p.encode(sharp(source).resize({ width: Math.round((width ?? 100) * 0.8) })).toFile(path.join(dir, p.file))
    extra.push([`copy${i}`, `./${p.file}`, ...cells.slice(2)].join(','))
  }
  fs.appendFileSync(path.join(dir, 'val.csv'), `${extra.join('\n')}\n`)

  projectFile = path.join(dir, 'planted.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [path.join(dir, 'train.csv'), path.join(dir, 'val.csv')], projectFile })
  const spec = resolveBackbone(undefined)
  const images = project.images().map((r) => ({ id: r.id, absPath: project.imagePath(r.id) ?? '', hash: r.hash ?? '' }))
  project.close()
  const engine = await chooseEngine(spec)
  const extracted = await extractInParallel({ dbFile: projectFile, spec, images, engine, cacheDir: path.join(dir, 'cache') })
  expect(extracted.computed).toBe(33)
}, 120_000)

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('near-duplicates on real features', () => {
  it('finds exactly the planted copies, flagged across splits, with the default backbone and threshold', async () => {
    const project = Project.open(projectFile)
    try {
      const rows = project.images()
      const idOf = (p: string): number => rows.find((r) => r.path === p)?.id ?? -1
      const trainPaths = rows.filter((r) => r.split === 'train').map((r) => r.path)
      const expected = PLANTED.map((p) => [idOf(trainPaths[p.row] ?? ''), idOf(`./${p.file}`)].sort((a, b) => a - b).join('-')).sort()

      const h = await datasetHealth(project)
      expect(h.nearDuplicates.threshold).toBe(DEFAULT_SIMILARITY)
      expect(h.nearDuplicates.backbone).toBe('nsfwjs-mobilenetv2:block_2_add+block_5_add+block_9_add+block_12_add+block_15_add')
      expect(h.nearDuplicates.withoutFeatures).toBe(0)
      expect(h.nearDuplicates.pairs.map((p) => `${Math.min(p.a, p.b)}-${Math.max(p.a, p.b)}`).sort()).toEqual(expected)
      expect(h.nearDuplicates.pairs.every((p) => p.crossSplit)).toBe(true)

      // Every pair, threshold just above 0: the copies stand clear of the closest distinct pair.
      const all = await datasetHealth(project, { similarity: 1e-6 })
      const planted = all.nearDuplicates.pairs.filter((p) => expected.includes(`${Math.min(p.a, p.b)}-${Math.max(p.a, p.b)}`))
      const distinct = all.nearDuplicates.pairs.filter((p) => !planted.includes(p))
      const weakestCopy = Math.min(...planted.map((p) => p.similarity))
      const closestDistinct = Math.max(...distinct.map((p) => p.similarity))
      expect(weakestCopy).toBeGreaterThan(DEFAULT_SIMILARITY)
      expect(closestDistinct).toBeLessThan(DEFAULT_SIMILARITY - 0.1)
    } finally {
      project.close()
    }
  })
})
