import Database from 'better-sqlite3'
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { runJob } from '../../../src-main/core/jobs/run-job.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { getRun } from '../../../src-main/core/ml/runs.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { expectKilledOrDone, runChild, type ChildControl } from './support/child.ts'
import { apparelProject, checkSqliteFile, tempDir } from './support/datasets.ts'
import { canListProcesses, survivorsAfter } from './support/processes.ts'
import { writeTinyBackbone } from './support/tiny-backbone.ts'
import { baseSeed, randomInt, reportCounts, seeded, shareOfTrials } from './support/trials.ts'

const TRIALS = shareOfTrials(0.05, 1)
const ROWS = 40
const EPOCHS = 60
const MARKER = 'TAGSMITH_FAULT_TRIAL'
const child = join(import.meta.dirname, 'child', 'service-train.ts')

interface RunRow {
  id: number
  dim: number
  labels: string
  config: string
  history: string
  metrics: string
  timings: string
  std_mean: Buffer
  std_scale: Buffer
  head_kernel: Buffer
  head_bias: Buffer
}

/** Every stored run, checked to be whole: JSON that parses, one history entry per epoch, blobs of the right size. */
function storedRuns(file: string, labelCount: number, where: string): number {
  const db = new Database(file, { readonly: true })
  try {
    const rows = db.prepare('SELECT * FROM runs').all() as RunRow[]
    for (const r of rows) {
      const labels = JSON.parse(r.labels) as string[]
      const config = JSON.parse(r.config) as { epochs: number }
      expect(labels, where).toHaveLength(labelCount)
      expect(JSON.parse(r.history), where).toHaveLength(config.epochs)
      expect(JSON.parse(r.metrics), where).toMatchObject({ exactMatch: expect.any(Number) })
      expect(JSON.parse(r.timings), where).toMatchObject({ trainSeconds: expect.any(Number) })
      expect(r.dim, where).toBeGreaterThan(0)
      expect([r.std_mean.length, r.std_scale.length, r.head_kernel.length, r.head_bias.length], where).toEqual([
        r.dim * 4,
        r.dim * 4,
        r.dim * labelCount * 4,
        labelCount * 4,
      ])
      expect(getRun(db, r.id).head.kernel.every(Number.isFinite), where).toBe(true)
    }
    return rows.length
  } finally {
    db.close()
  }
}

describe('a training run whose app process is SIGKILLed at a random moment', () => {
  const temp = tempDir('train')
  let pristine = ''
  let backbone = ''
  let labelCount = 0

  beforeAll(async () => {
    pristine = await apparelProject(temp.dir, ROWS)
    backbone = (await writeTinyBackbone(join(temp.dir, 'tiny'))).dir
    // Features cached up front, as after an earlier run: each trial's time goes to training.
    const project = Project.open(pristine)
    labelCount = project.labels().length
    const images = project
      .images()
      .flatMap((r) => (r.status === 'ok' && r.hash ? [{ id: r.id, absPath: project.imagePath(r.id) ?? '', hash: r.hash }] : []))
    project.close()
    await runJob('extract', { dbFile: pristine, spec: resolveBackbone(backbone), images, batchSize: 8 })
  })
  afterAll(() => temp.remove())

  it(`leaves the project openable with no half-stored run and no job process behind (${TRIALS} trials); a new run then trains`, async () => {
    const seed = baseSeed()
    const moments = { duringEpochs: 0, afterLastEpoch: 0, anytime: 0 }
    let runsStored = 0
    let lastFile = pristine
    for (let trial = 0; trial < TRIALS; trial++) {
      const next = seeded(seed + trial)
      const file = join(temp.dir, `trial-${trial}.tagsmith`)
      copyFileSync(pristine, file)
      lastFile = file
      // During the epochs, in the moment the run is being stored, or any time from the start.
      const roll = next()
      const moment = roll < 0.4 ? 'duringEpochs' : roll < 0.7 ? 'afterLastEpoch' : 'anytime'
      moments[moment]++
      const epoch = randomInt(next, 1, EPOCHS - 1)
      const delay = next() * 4000
      const where = `trial ${trial} (seed ${seed + trial}, ${moment}${moment === 'duringEpochs' ? ` at epoch ${epoch}` : ''})`
      const marker = `${process.pid}-${trial}-${seed}`
      const configDir = join(temp.dir, `config-${trial}`)
      mkdirSync(configDir)
      const end = await runChild(
        child,
        [file, configDir, backbone, String(EPOCHS)],
        (line: string, control: ChildControl) => {
          if (moment === 'anytime' && line === 'ready') setTimeout(() => control.kill(), delay)
          if (moment === 'duringEpochs' && line === `epoch ${epoch}`) control.kill()
          if (moment === 'afterLastEpoch' && line === `epoch ${EPOCHS}`) control.kill()
        },
        { [MARKER]: marker },
      )
      expectKilledOrDone(end, where)

      expect(checkSqliteFile(file), where).toEqual({ integrity: 'ok', foreignKeyViolations: 0 })
      const project = Project.open(file)
      expect(project.images(), where).toHaveLength(ROWS)
      project.close()
      const runs = storedRuns(file, labelCount, where)
      // Stored whole after its last epoch, or not at all; a run reported stored is there.
      if (end.lines.some((l) => l.startsWith('stored '))) expect(runs, where).toBe(1)
      else if (end.lines.includes(`epoch ${EPOCHS}`)) expect(runs, where).toBeLessThanOrEqual(1)
      else expect(runs, `${where}: a run stored before its last epoch`).toBe(0)
      runsStored += runs
      if (canListProcesses()) expect(await survivorsAfter(MARKER, marker, 10_000), `${where}: job processes outlived the app`).toEqual([])
    }

    // Restart: through a fresh service, a new run trains on the last trial's file and is stored whole.
    const before = storedRuns(lastFile, labelCount, 'restart')
    mkdirSync(join(temp.dir, 'config-restart'))
    const service = new Service({ configDir: join(temp.dir, 'config-restart'), mode: 'web', version: 'crash-check' })
    try {
      await service.request('project:open', { file: lastFile })
      const ended = new Promise<string>((resolve) => service.events['job:ended'].on((e) => resolve(e.status)))
      await service.request('train:start', { backbone, epochs: 5, seed: 7 })
      expect(await ended).toBe('done')
    } finally {
      service.close()
    }
    expect(storedRuns(lastFile, labelCount, 'restart')).toBe(before + 1)
    reportCounts('training', { trials: TRIALS, seed, ...moments, runsStoredBeforeKill: runsStored })
  }, 120_000 + TRIALS * 40_000)
})
