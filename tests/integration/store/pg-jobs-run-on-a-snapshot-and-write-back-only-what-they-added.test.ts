// Train, evaluate, issues and health on a team store (PostgreSQL): each job runs on a snapshot of the
// database and writes back only what it added — runs under fresh ids with their author and predictions,
// the features it extracted — so a label edit and a run someone else committed meanwhile stay.
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { Project } from '../../../src-main/core/dataset/project.ts'
import { trainProject } from '../../../src-main/core/jobs/train-project.ts'
import { putConfirmation, putReview } from '../../../src-main/core/quality/reviews.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { withSnapshot } from '../../../src-main/core/store/pg-snapshot.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { tagsmithInProcess as tagsmith } from '../cli/run-cli.ts'
import { copyFixtureSubset, tempDir } from '../ml/helpers.ts'
import { smallApparelProject } from './small-project.ts'

const dirs: string[] = []
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

async function query<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql, values)).rows as T[]
  } finally {
    await client.end()
  }
}

const CELL = `SELECT il.value::int AS value FROM image_labels il JOIN images i ON i.id = il.image_id JOIN labels l ON l.id = il.label_id
              WHERE i.rel = $1 AND l.name = 'black'`

describe.skipIf(!pgEnabled())('jobs on a team store', () => {
  it('train, evaluate, issues and health answer on the database; a second train reuses the features and keeps what others committed meanwhile', async () => {
    const dir = tempDir('pg-jobs')
    dirs.push(dir)
    const trainImages = copyFixtureSubset(dir, 'train.csv', 30)
    copyFixtureSubset(dir, 'val.csv', 10)
    const url = await freshDatabase()
    const imported = await tagsmith('import', path.join(dir, 'train.csv'), path.join(dir, 'val.csv'), '--store', url, '--json')
    expect(imported.stderr).toBe('')

    // First train: every feature extracted, then the run, its predictions and the features written back.
    const trained = await tagsmith('train', '--store', url, '--epochs', '3', '--seed', '1', '--user', 'ana', '--json')
    expect(trained.stderr).toBe('')
    const first = JSON.parse(trained.stdout.trim().split('\n').at(-1) ?? '{}') as {
      runId: number
      author: string
      extraction: { computed: number; cached: number }
      predictions: { rows: number }
      teamStore: { snapshotSeconds: number; writeBackSeconds: number; written: Record<string, number> }
    }
    expect(first).toMatchObject({ runId: 1, author: 'ana', extraction: { computed: 40, cached: 0 }, predictions: { rows: 40 } })
    expect(first.teamStore.written).toMatchObject({ runs: 1, run_predictions: 40, label_reviews: 0, uncertain_confirmations: 0, settings: 0 })
    const features = (await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM features'))[0]?.n
    expect(features).toBe(first.teamStore.written.features)
    expect(features).toBeGreaterThanOrEqual(40)
    expect(await query(url, 'SELECT id::int, author FROM runs')).toEqual([{ id: 1, author: 'ana' }])
    expect(await query(url, 'SELECT count(*)::int AS n FROM run_predictions WHERE run_id = 1')).toEqual([{ n: 40 }])

    const evaluated = JSON.parse((await tagsmith('evaluate', '--store', url, '--json')).stdout) as Record<string, unknown>
    expect(evaluated).toMatchObject({ n: 10, runId: 1, author: 'ana' })
    const issues = await tagsmith('issues', url, '--top', '5', '--json')
    expect(issues).toMatchObject({ code: 0, stderr: '' })
    expect(Array.isArray(JSON.parse(issues.stdout))).toBe(true)
    const health = JSON.parse((await tagsmith('health', '--store', url, '--json')).stdout) as {
      perSplit: { train: { images: number } }
      nearDuplicates: { backbone: string | null; withoutFeatures: number }
    }
    // The near-duplicate search reads the features the train wrote back.
    expect(health.perSplit.train.images).toBe(30)
    expect(health.nearDuplicates).toMatchObject({ backbone: expect.any(String), withoutFeatures: 0 })

    // Second train on a snapshot; before its write-back bob edits a cell and someone stores a run.
    const image = path.relative(dir, trainImages[0] ?? '')
    const [cell] = await query<{ value: number }>(url, CELL, [image])
    const flipped = cell?.value === 1 ? 0 : 1
    const second = await withSnapshot(url, (project) => trainProject(project, { config: { epochs: 2, seed: 1 }, author: 'ana' }), {
      tempDir: dir,
      beforeWriteBack: async () => {
        expect((await tagsmith('label', '--store', url, image, `black=${flipped}`, '--user', 'bob')).code).toBe(0)
        await query(
          url,
          `INSERT INTO runs (created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, backend, dim,
             std_mean, std_scale, head_kernel, head_bias, timings, author)
           SELECT created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, backend, dim,
             std_mean, std_scale, head_kernel, head_bias, timings, 'cy' FROM runs WHERE id = 1`,
        )
      },
    })
    expect(second.result.extraction).toMatchObject({ computed: 0, cached: 40 })
    expect(second.result.runId).toBe(2)
    expect(second.runIds).toEqual(new Map([[2, 3]]))
    expect(second.written).toMatchObject({ runs: 1, run_predictions: 40, features: 0 })
    expect(await query(url, 'SELECT id::int, author FROM runs ORDER BY id')).toEqual([
      { id: 1, author: 'ana' },
      { id: 2, author: 'cy' },
      { id: 3, author: 'ana' },
    ])
    expect(await query(url, 'SELECT run_id::int, count(*)::int AS n FROM run_predictions GROUP BY run_id ORDER BY run_id')).toEqual([
      { run_id: 1, n: 40 },
      { run_id: 3, n: 40 },
    ])
    // Bob's edit, made after the snapshot, survives the write-back.
    expect(await query(url, CELL, [image])).toEqual([{ value: flipped }])
    expect(await query(url, 'SELECT author FROM edit_groups')).toEqual([{ author: 'bob' }])
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('tagsmith-snapshot-'))).toEqual([])
  })

  it('writes back reviews, confirmations and settings a job made, naming runs by their new ids; a failed job writes nothing', async () => {
    const { file } = await smallApparelProject(3)
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    const blob = Buffer.alloc(4)
    const review = (project: Project): void => {
      const run = Number(
        project.db
          .prepare(
            `INSERT INTO runs (created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, backend, dim,
               std_mean, std_scale, head_kernel, head_bias, timings, author) VALUES ('now', '{}', '{}', 'k', 1, '["black"]', 's', '[]', '{}', 'cpu', 1, ?, ?, ?, ?, '{}', 'ana')`,
          )
          .run(blob, blob, blob, blob).lastInsertRowid,
      )
      putReview(project.db, { imageId: 1, labelId: 1, value: 1, outcome: 'kept', runId: run, probability: 0.25, author: 'ana' })
      putConfirmation(project.db, 2, run, '0', 'ana')
      project.setSetting('groups', [['black', 'blue']])
    }
    await expect(
      withSnapshot(url, async (project) => {
        review(project)
        throw new Error('the job failed')
      }),
    ).rejects.toThrow('the job failed')
    expect(await query(url, 'SELECT ((SELECT count(*) FROM runs) + (SELECT count(*) FROM label_reviews) + (SELECT count(*) FROM settings WHERE key = $1))::int AS n', ['groups'])).toEqual([{ n: 0 }])

    const done = await withSnapshot(url, async (project) => review(project), {
      // Someone's run takes id 1 meanwhile: the job's run 1 becomes 2, and its review and confirmation follow.
      beforeWriteBack: async () => {
        await query(
          url,
          `INSERT INTO runs (created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, backend, dim,
             std_mean, std_scale, head_kernel, head_bias, timings, author) VALUES ('now', '{}', '{}', 'k', 1, '[]', 's', '[]', '{}', 'cpu', 1, '', '', '', '', '{}', 'cy')`,
        )
      },
    })
    expect(done.runIds).toEqual(new Map([[1, 2]]))
    expect(done.written).toMatchObject({ runs: 1, label_reviews: 1, uncertain_confirmations: 1, settings: 1 })
    expect(await query(url, 'SELECT image_id::int, run_id::int, outcome, author FROM label_reviews')).toEqual([{ image_id: 1, run_id: 2, outcome: 'kept', author: 'ana' }])
    expect(await query(url, 'SELECT image_id::int, run_id::int, author FROM uncertain_confirmations')).toEqual([{ image_id: 2, run_id: 2, author: 'ana' }])
    expect(await query(url, 'SELECT json FROM settings WHERE key = $1', ['groups'])).toEqual([{ json: '[["black","blue"]]' }])
  })
})
