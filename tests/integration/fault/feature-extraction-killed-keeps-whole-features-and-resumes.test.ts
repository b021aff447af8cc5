import Database from 'better-sqlite3'
import { copyFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { runJob, runJobModule } from '../../../src-main/core/jobs/run-job.ts'
import type { ExtractJobInput, ExtractJobResult } from '../../../src-main/core/jobs/kinds/extract.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import type { ExtractImage } from '../../../src-main/core/ml/extract.ts'
import { apparelProject, checkSqliteFile, tempDir } from './support/datasets.ts'
import { TINY_LAYERS, writeTinyBackbone } from './support/tiny-backbone.ts'
import { baseSeed, randomInt, reportCounts, seeded, shareOfTrials } from './support/trials.ts'

const TRIALS = shareOfTrials(0.1, 2)
const ROWS = 40
const BATCH = 2
const withPid = join(import.meta.dirname, 'jobs', 'extract-telling-its-pid.ts')

interface FeatureRow {
  hash: string
  backbone: string
  prep: number
  dim: number
  data: Buffer
}

function featureRows(file: string): FeatureRow[] {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare('SELECT hash, backbone, prep, dim, data FROM features ORDER BY hash').all() as FeatureRow[]
  } finally {
    db.close()
  }
}

const floats = (b: Buffer): Float32Array => new Float32Array(new Uint8Array(b).buffer)

describe('feature extraction whose child process is SIGKILLed at a random batch', () => {
  const temp = tempDir('extract')
  let pristine = ''
  let input: Omit<ExtractJobInput, 'dbFile'>
  const reference = new Map<string, FeatureRow>()

  beforeAll(async () => {
    pristine = await apparelProject(temp.dir, ROWS)
    const { dir } = await writeTinyBackbone(join(temp.dir, 'tiny'))
    const project = Project.open(pristine)
    const images: ExtractImage[] = project
      .images()
      .flatMap((r) => (r.status === 'ok' && r.hash ? [{ id: r.id, absPath: project.imagePath(r.id) ?? '', hash: r.hash }] : []))
    project.close()
    input = { spec: resolveBackbone(dir, { layers: TINY_LAYERS }), images, batchSize: BATCH }
    // The uninterrupted result every trial is held to.
    const dbFile = join(temp.dir, 'reference.tagsmith')
    copyFileSync(pristine, dbFile)
    await runJob('extract', { ...input, dbFile })
    for (const row of featureRows(dbFile)) reference.set(row.hash, row)
    expect(reference.size).toBe(new Set(images.map((i) => i.hash)).size)
  })
  afterAll(() => temp.remove())

  /** Every cached row is whole: the right key and size, and the values an uninterrupted run computes. */
  function expectWholeFeatures(file: string, where: string): number {
    const rows = featureRows(file)
    for (const row of rows) {
      const ref = reference.get(row.hash)
      expect(ref, `${where}: features for an image never asked for`).toBeDefined()
      if (!ref) continue
      expect({ backbone: row.backbone, prep: row.prep, dim: row.dim, bytes: row.data.length }, where).toEqual({
        backbone: ref.backbone,
        prep: ref.prep,
        dim: ref.dim,
        bytes: ref.dim * 4,
      })
      const got = floats(row.data)
      floats(ref.data).forEach((v, i) => expect(got[i], `${where}: ${row.hash}[${i}]`).toBeCloseTo(v, 5))
    }
    return rows.length
  }

  it(`keeps the project openable and every cached feature whole, and a rerun computes only the rest (${TRIALS} trials)`, async () => {
    const seed = baseSeed()
    const total = reference.size
    let keptRows = 0
    let killed = 0
    for (let trial = 0; trial < TRIALS; trial++) {
      const dbFile = join(temp.dir, `trial-${trial}.tagsmith`)
      copyFileSync(pristine, dbFile)
      const killAtDone = randomInt(seeded(seed + trial), 0, total - BATCH)
      const where = `trial ${trial} (seed ${seed + trial}, kill once ${killAtDone} of ${total} are done)`
      let pid = 0
      const outcome = await runJobModule<ExtractJobResult, { pid: number }>('extract', withPid, { ...input, dbFile }, {
        onEvent: (event) => {
          if (event.name === 'pid') pid = Number(event.data)
        },
        onProgress: (p) => {
          if (p.phase === 'extract' && p.done >= killAtDone && pid > 0) process.kill(pid, 'SIGKILL')
        },
      }).then(
        () => 'finished',
        (err: unknown) => err,
      )
      if (outcome !== 'finished') {
        expect(outcome, where).toMatchObject({ code: 'INTERNAL', message: expect.stringMatching(/crashed \(signal SIGKILL\)/) })
        killed++
      }

      expect(checkSqliteFile(dbFile), where).toEqual({ integrity: 'ok', foreignKeyViolations: 0 })
      const project = Project.open(dbFile)
      expect(project.images(), where).toHaveLength(ROWS)
      project.close()
      const kept = expectWholeFeatures(dbFile, where)
      keptRows += kept

      const rerun = await runJob('extract', { ...input, dbFile })
      expect({ total: rerun.total, cached: rerun.cached, computed: rerun.computed, skipped: rerun.skipped.length }, where).toEqual({
        total,
        cached: kept,
        computed: total - kept,
        skipped: 0,
      })
      expect(expectWholeFeatures(dbFile, `${where}, after the rerun`)).toBe(total)
    }
    reportCounts('extraction', { trials: TRIALS, killed, seed, imagesPerRun: total, featureRowsKeptAndChecked: keptRows })
  }, 90_000 + TRIALS * 30_000)
})
