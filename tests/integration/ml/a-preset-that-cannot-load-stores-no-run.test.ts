import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { trainProject } from '../../../src-main/core/jobs/train-project.ts'
import { readCatalog } from '../../../src-main/core/ml/backbones/catalog.ts'
import { listRuns } from '../../../src-main/core/ml/runs.ts'
import { copyFixtureSubset, tempDir } from './helpers.ts'

// A catalog whose presets cannot load: the training job fails with a message naming what is wrong, and
// the project gains no run (and no half-written one).
let dir: string
let projectFile: string
const saved = process.env.TAGSMITH_BACKBONES

beforeAll(async () => {
  dir = tempDir('bad-preset')
  copyFixtureSubset(dir, 'train.csv', 8)
  copyFixtureSubset(dir, 'val.csv', 4)
  projectFile = path.join(dir, 'p.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [path.join(dir, 'train.csv'), path.join(dir, 'val.csv')], projectFile })
  project.close()
  const catalog = readCatalog()
  const base = catalog.presets[0]
  if (!base) throw new Error('no preset')
  catalog.presets = [
    { ...base, id: 'wrong-layer', layers: ['block_99_add'] },
    { ...base, id: 'missing-model', also: [{ backbone: 'gone' }] },
  ]
  catalog.backbones.push({ ...(catalog.backbones[0] as (typeof catalog.backbones)[number]), id: 'gone', bundled: { package: 'nsfwjs', dir: 'models/not_here' } })
  catalog.defaultPreset = 'wrong-layer'
  const file = path.join(dir, 'backbones.json')
  fs.writeFileSync(file, JSON.stringify(catalog))
  process.env.TAGSMITH_BACKBONES = file
}, 60_000)

afterAll(() => {
  if (saved === undefined) delete process.env.TAGSMITH_BACKBONES
  else process.env.TAGSMITH_BACKBONES = saved
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('a preset that cannot load', () => {
  it.each([
    ['wrong-layer', /no layer.*block_99_add/],
    ['missing-model', /nsfwjs\/models\/not_here: model\.min\.js is missing/],
  ])('%s: the run fails naming it and nothing is stored', async (preset, message) => {
    const project = Project.open(projectFile)
    try {
      await expect(trainProject(project, { preset, config: { epochs: 1 }, folds: 0 })).rejects.toThrow(message)
      expect(listRuns(project.db)).toEqual([])
    } finally {
      project.close()
    }
  }, 120_000)
})
