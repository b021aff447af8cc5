import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { getRun, insertRun, type NewRun } from '../../../src-main/core/ml/runs.ts'
import { toRunDetail } from '../../../src-main/core/service/training-wire.ts'
import { tempDir } from '../dataset/helpers.ts'

const upTo50 = () => loadMigrations().filter((m) => m.version <= 50)
const f32 = (...v: number[]): Float32Array => Float32Array.from(v)

const run = (groups: string[][] | null, groupNames?: string[]): NewRun => ({
  config: { epochs: 1, learningRate: 0.01, batchSize: 0, l2: 0, classWeighting: false, seed: 1, hiddenUnits: 0, dropout: 0, earlyStopping: false, patience: 0 },
  backbone: { id: 'b', key: 'b:l1', name: 'B', source: 'bundled', featureLayers: ['l1'], inputSize: 8, normalisation: { mean: [0, 0, 0], std: [1, 1, 1] }, prep: 1001 },
  labels: ['a', 'b', 'c', 'd'],
  labelSnapshot: '0'.repeat(64),
  history: [],
  metrics: { n: 0, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} },
  thresholds: null,
  groups,
  ...(groupNames ? { groupNames } : {}),
  backend: 'cpu',
  head: { dim: 1, numLabels: 4, mean: f32(0), scale: f32(1), kernel: f32(1, 2, 3, 4), bias: f32(0, 0, 0, 0) },
  timings: { extractSeconds: 0, trainSeconds: 0 },
})

describe('migration 0060: the names of a run’s label groups', () => {
  it('reads a run stored before names with its groups and no names', () => {
    const file = join(tempDir(), 'p.tagsmith')
    const old = openDatabase(file, { migrations: upTo50() })
    const id = insertRunBefore60(old)
    old.close()

    const db = openDatabase(file)
    expect(db.prepare("SELECT name FROM pragma_table_info('runs')").pluck().all()).toContain('group_names')
    const back = getRun(db, id)
    expect(back.groups).toEqual([['a', 'b']])
    expect(back.groupNames).toBeNull()
    expect(toRunDetail(back).groupNames).toBeNull()
    db.close()
  })

  it('keeps the names the run trained with beside its groups; a run without groups keeps none', () => {
    const db = openDatabase(join(tempDir(), 'p.tagsmith'))
    const named = getRun(db, insertRun(db, run([['a', 'b'], ['c', 'd']], ['colour', ''])))
    expect(named.groups).toEqual([['a', 'b'], ['c', 'd']])
    expect(named.groupNames).toEqual(['colour', ''])
    expect(toRunDetail(named).groupNames).toEqual(['colour', ''])
    expect(getRun(db, insertRun(db, run(null, ['stray']))).groupNames).toBeNull()
    db.close()
  })
})

/** A run as the code before migration 0060 inserted it (no group_names column yet). */
function insertRunBefore60(db: ReturnType<typeof openDatabase>): number {
  const blob = (v: Float32Array): Buffer => Buffer.from(v.buffer)
  return Number(
    db
      .prepare(
        `INSERT INTO runs (created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, groups, backend, dim,
          std_mean, std_scale, head_kernel, head_bias, timings) VALUES ('now', '{}', '{"id":"b","name":"B","featureLayers":[]}', 'k', 1, '["a","b"]', '', '[]', '{}', ?, 'cpu', 1, ?, ?, ?, ?, '{}')`,
      )
      .run(JSON.stringify([['a', 'b']]), blob(f32(0)), blob(f32(1)), blob(f32(1, 2)), blob(f32(0, 0))).lastInsertRowid,
  )
}
