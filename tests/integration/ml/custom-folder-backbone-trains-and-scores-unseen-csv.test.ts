import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { evaluateProject } from '../../../src-main/core/jobs/evaluate-project.ts'
import { trainProject } from '../../../src-main/core/jobs/train-project.ts'
import { getRun } from '../../../src-main/core/ml/runs.ts'
import { apparelDir, copyFixtureSubset, tempDir, writeTinyModel } from './helpers.ts'

let dir: string
let projectFile: string
let modelDir: string

beforeAll(async () => {
  dir = tempDir('folder')
  modelDir = path.join(dir, 'my-model')
  await writeTinyModel(modelDir)
  copyFixtureSubset(dir, 'train.csv', 30)
  projectFile = path.join(dir, 'p.tagsmith')
  await Project.importCsvs({ csvs: [path.join(dir, 'train.csv')], projectFile }).then(({ project }) => project.close())
  // An outside CSV of images the project has never seen: the last 12 rows of the fixture's val.csv.
  const lines = fs.readFileSync(path.join(apparelDir(), 'val.csv'), 'utf8').trim().split(/\r?\n/)
  const outside = path.join(dir, 'outside')
  fs.mkdirSync(outside)
  const rows = lines.slice(-12)
  for (const l of rows) {
    const rel = l.split(',')[1] ?? ''
    fs.mkdirSync(path.dirname(path.join(outside, rel)), { recursive: true })
    fs.copyFileSync(path.join(apparelDir(), rel), path.join(outside, rel))
  }
  fs.writeFileSync(path.join(outside, 'new.csv'), `${[lines[0], ...rows].join('\n')}\n`)
}, 120_000)

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('a custom TF.js model folder as backbone', () => {
  it('trains with a stratified holdout when there is no val split, then scores an unseen CSV, extracting its images', async () => {
    const project = Project.open(projectFile)
    try {
      const outcome = await trainProject(project, { backbone: modelDir, layers: ['conv_a', 'conv_b'], config: { epochs: 5 } })
      expect(outcome.rows.valSource).toBe('holdout')
      expect(outcome.rows.train + outcome.rows.val).toBe(30)
      expect(outcome.rows.val).toBeGreaterThan(0)
      expect(outcome.backbone).toMatch(/^folder-[0-9a-f]{16}:conv_a\+conv_b$/)
      const run = getRun(project.db, outcome.runId)
      expect(run.backbone).toMatchObject({ source: 'folder', folder: modelDir, featureLayers: ['conv_a', 'conv_b'] })
      expect(run.head.dim).toBe(12)

      const before = Number(project.db.prepare('SELECT count(*) FROM features').pluck().get())
      const scored = await evaluateProject(project, { csv: path.join(dir, 'outside', 'new.csv') })
      expect(scored.n).toBe(12)
      expect(scored.skipped).toBe(0)
      expect(Number(project.db.prepare('SELECT count(*) FROM features').pluck().get())).toBe(before + 12)
      expect(scored.hammingAccuracy).toBeGreaterThan(0)
    } finally {
      project.close()
    }
  })
})
