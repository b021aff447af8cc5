import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { command as evaluateCommand } from '../../../src-main/cli/commands/evaluate.ts'
import { command as trainCommand } from '../../../src-main/cli/commands/train.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { evaluateProject } from '../../../src-main/core/jobs/evaluate-project.ts'
import { trainProject, type TrainOutcome } from '../../../src-main/core/jobs/train-project.ts'
import { colourDim } from '../../../src-main/core/ml/parts/colour-designs.ts'
import { getRun, listRuns } from '../../../src-main/core/ml/runs.ts'
import type { EpochEvent } from '../../../src-main/core/ml/train.ts'
import { copyFixtureSubset, tempDir } from './helpers.ts'

// 90 training and 30 validation images of the apparel fixture: big enough to learn something,
// small enough for the suite. Full-fixture figures come from bench/ml.ts.
let dir: string
let projectFile: string
let outcome: TrainOutcome
const epochs: EpochEvent[] = []
const phases = new Set<string>()
const GROUPS = [
  ['black', 'blue', 'brown', 'green', 'red', 'white'],
  ['dress', 'shirt', 'pants', 'shorts', 'shoes'],
]

function capture(): { out: string[]; err: string[]; io: { out: (t: string) => void; err: (t: string) => void; interactive: boolean } } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false } }
}

beforeAll(async () => {
  dir = tempDir('e2e')
  copyFixtureSubset(dir, 'train.csv', 90)
  copyFixtureSubset(dir, 'val.csv', 30)
  projectFile = path.join(dir, 'apparel.tagsmith')
  const { project } = await Project.importCsvs({ csvs: [path.join(dir, 'train.csv'), path.join(dir, 'val.csv')], projectFile })
  project.setSetting('groups', GROUPS)
  try {
    outcome = await trainProject(project, {
      // Every epoch trained, so each one's event arrives.
      config: { epochs: 15, seed: 3, earlyStopping: false },
      onEpoch: (e) => epochs.push(e),
      onProgress: (p) => phases.add(p.phase),
    })
  } finally {
    project.close()
  }
}, 300_000)

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('train and evaluate on a small real project', () => {
  it('extracts every image, then trains on train rows and validates on val rows', () => {
    expect(phases.has('extract')).toBe(true)
    expect(outcome.extraction).toMatchObject({ total: 120, computed: 120, cached: 0, skipped: [] })
    expect(outcome.rows).toEqual({ train: 90, val: 30, valSource: 'val' })
    expect(outcome.timings.extractSeconds).toBeGreaterThan(0)
    expect(outcome.timings.trainSeconds).toBeGreaterThan(0)
    expect(outcome.backend).toMatch(/wasm|tensorflow|cpu/)
  })

  it('emits one event per epoch, in order, with falling training loss', () => {
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1))
    for (const e of epochs) expect(Object.keys(e).sort()).toEqual(['epoch', 'loss', 'seconds', 'valExactMatch', 'valLoss'])
    expect((epochs.at(-1)?.loss ?? 1) < (epochs[0]?.loss ?? 0)).toBe(true)
  })

  it('learns something on 90 images: grouped decoding beats chance by far', () => {
    expect(outcome.metrics.n).toBe(30)
    expect(outcome.metrics.mAP).toBeGreaterThan(0.5)
    // chance for 1 of 6 colours x 1 of 5 garments is 1/30
    expect(outcome.metrics.exactMatchGrouped).toBeGreaterThan(0.2)
  })

  it('stores the run with everything needed to predict again', () => {
    const project = Project.open(projectFile)
    try {
      const run = getRun(project.db, outcome.runId)
      expect(run.labels).toEqual(project.labels())
      expect(run.history).toHaveLength(15)
      // With a hidden layer, its kernel is features x units and the output's units x labels.
      const hidden = run.head.hidden
      expect(run.head.kernel).toHaveLength((hidden?.units ?? run.head.dim) * 11)
      if (hidden) expect(hidden.kernel).toHaveLength(run.head.dim * hidden.units)
      // The default preset: MobileNetV2's pooled taps (376) and the colour statistics of the same decode.
      expect(run.backbone.preset).toBe('default')
      expect(run.head.mean).toHaveLength(376 + colourDim('histograms'))
      expect(run.groups).toEqual(GROUPS)
      expect(run.labelSnapshot).toMatch(/^[0-9a-f]{64}$/)
      expect(run.config).toMatchObject({ epochs: 15, seed: 3, earlyStopping: false })
      expect(listRuns(project.db).map((r) => r.id)).toContain(outcome.runId)
    } finally {
      project.close()
    }
  })

  it('evaluates the stored run on val to the same metrics as training reported, and refuses training rows', async () => {
    const project = Project.open(projectFile)
    try {
      const again = await evaluateProject(project, { runId: outcome.runId })
      expect(again.n).toBe(30)
      expect(again.exactMatch).toBeCloseTo(outcome.metrics.exactMatch, 6)
      expect(again.exactMatchGrouped).toBeCloseTo(outcome.metrics.exactMatchGrouped ?? -1, 6)
      expect(again.mAP).toBeCloseTo(outcome.metrics.mAP, 5)
      await expect(evaluateProject(project, { split: 'train' })).rejects.toMatchObject({ code: 'BAD_INPUT' })
      await expect(evaluateProject(project, { split: 'test' })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no readable test/) })
    } finally {
      project.close()
    }
  })

  it('evaluates an outside CSV by its paths and label columns', async () => {
    const project = Project.open(projectFile)
    try {
      const byCsv = await evaluateProject(project, { runId: outcome.runId, csv: path.join(dir, 'val.csv') })
      expect(byCsv.n).toBe(30)
      expect(byCsv.exactMatch).toBeCloseTo(outcome.metrics.exactMatch, 6)
    } finally {
      project.close()
    }
  })

  it('the CLI retrains from cached features (JSON lines per epoch, then the result) and evaluates', async () => {
    const t = capture()
    expect(await trainCommand.run([projectFile, '--epochs', '3', '--lr', '0.01', '--seed', '3', '--json'], t.io)).toBe(0)
    const lines = t.out.join('').trim().split('\n')
    expect(lines).toHaveLength(4)
    expect(lines.slice(0, 3).map((l) => (JSON.parse(l) as { event: string; epoch: number }).epoch)).toEqual([1, 2, 3])
    const result = JSON.parse(lines[3] ?? '{}') as { runId: number; backend: string; timings: { extractSeconds: number; trainSeconds: number }; extraction: { computed: number; cached: number }; validation: { exactMatch: number } }
    expect(result.runId).toBeGreaterThan(outcome.runId)
    expect(result.extraction).toMatchObject({ computed: 0, cached: 120 })
    expect(Object.keys(result.timings).sort()).toEqual(['extractSeconds', 'trainSeconds'])

    const e = capture()
    expect(await evaluateCommand.run([projectFile, '--split', 'val', '--run', String(outcome.runId), '--json'], e.io)).toBe(0)
    const metrics = JSON.parse(e.out.join('')) as Record<string, unknown>
    expect(Object.keys(metrics)).toEqual(['n', 'exactMatch', 'hammingAccuracy', 'macroF1', 'microF1', 'mAP', 'perLabel', 'exactMatchGrouped', 'thresholds', 'groups', 'runId', 'author'])
    // The run was stored by trainProject with no author given: evaluate says so (null) rather than guess.
    expect(metrics).toMatchObject({ runId: outcome.runId, author: null })
    expect(Object.values(metrics.thresholds as Record<string, number>)).toEqual(Object.keys(metrics.perLabel as object).map(() => 0.5))
    expect(metrics.exactMatch).toBeCloseTo(outcome.metrics.exactMatch, 6)
  })

  it('the CLI names bad options', async () => {
    await expect(trainCommand.run([projectFile, '--epochs', 'many'], capture().io)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/--epochs/) })
    await expect(trainCommand.run([projectFile, '--backbone', 'no-such-backbone'], capture().io)).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/no-such-backbone/) })
    await expect(evaluateCommand.run([projectFile, '--split', 'train'], capture().io)).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})
