import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { getRun, insertRun, listRuns, type NewRun } from '../../../src-main/core/ml/runs.ts'
import { tempDir } from '../dataset/helpers.ts'

const upTo40 = () => loadMigrations().filter((m) => m.version <= 40)

// A config as runs stored it before the hidden layer and early stopping existed.
const OLD_CONFIG = { epochs: 40, learningRate: 0.01, batchSize: 0, l2: 0.0001, classWeighting: false, seed: 42 }
const f32 = (...v: number[]): Float32Array => Float32Array.from(v)

const run = (head: NewRun['head'], bestEpoch: number | null): NewRun => ({
  config: { ...OLD_CONFIG, hiddenUnits: head.hidden?.units ?? 0, dropout: 0.3, earlyStopping: true, patience: 8 },
  backbone: { id: 'b', key: 'b:l1', name: 'B', source: 'bundled', featureLayers: ['l1'], inputSize: 8, normalisation: { mean: [0, 0, 0], std: [1, 1, 1] }, prep: 1001 },
  labels: ['a', 'b'],
  labelSnapshot: '0'.repeat(64),
  history: [],
  bestEpoch,
  metrics: { n: 0, exactMatch: 0, hammingAccuracy: 0, macroF1: 0, microF1: 0, mAP: 0, perLabel: {} },
  thresholds: null,
  groups: null,
  backend: 'cpu',
  head,
  timings: { extractSeconds: 0, trainSeconds: 0 },
})

describe('migration 0050: a run’s hidden layer and best epoch', () => {
  it('reads a run stored before it as a linear head kept at its last epoch, with the settings it trained with', () => {
    const file = join(tempDir(), 'p.tagsmith')
    const old = openDatabase(file, { migrations: upTo40() })
    old.prepare(
      `INSERT INTO runs (id, created_at, config, backbone, backbone_key, prep, labels, label_snapshot, history, metrics, backend, dim,
        std_mean, std_scale, head_kernel, head_bias, timings) VALUES (1, 'now', ?, '{}', 'k', 1, '["a","b"]', '', '[]', '{}', 'cpu', 1, ?, ?, ?, ?, '{}')`,
    ).run(JSON.stringify(OLD_CONFIG), Buffer.from(f32(0).buffer), Buffer.from(f32(1).buffer), Buffer.from(f32(1, 2).buffer), Buffer.from(f32(0, 0).buffer))
    old.close()

    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(50)
    const columns = db.prepare("SELECT name FROM pragma_table_info('runs')").pluck().all()
    expect(columns).toEqual(expect.arrayContaining(['hidden_units', 'hidden_kernel', 'hidden_bias', 'best_epoch']))
    const back = getRun(db, 1)
    expect(back.config).toEqual({ ...OLD_CONFIG, hiddenUnits: 0, dropout: 0, earlyStopping: false, patience: 0 })
    expect(listRuns(db)[0]?.config).toEqual(back.config)
    expect(back.head.hidden).toBeUndefined()
    expect(Array.from(back.head.kernel)).toEqual([1, 2])
    expect(back.bestEpoch).toBeNull()
    db.close()
  })

  it('stores a hidden layer and the best epoch, and reads them back exactly', () => {
    const db = openDatabase(join(tempDir(), 'p.tagsmith'))
    const hidden = { units: 3, kernel: f32(0.5, -1, 2), bias: f32(0.1, 0.2, 0.3) }
    const id = insertRun(db, run({ dim: 1, numLabels: 2, mean: f32(0), scale: f32(1), hidden, kernel: f32(1, 2, 3, 4, 5, 6), bias: f32(0, 1) }, 7))
    const back = getRun(db, id)
    expect(back.head.hidden?.units).toBe(3)
    expect(Array.from(back.head.hidden?.kernel ?? [])).toEqual(Array.from(hidden.kernel))
    expect(Array.from(back.head.hidden?.bias ?? [])).toEqual(Array.from(hidden.bias))
    expect(Array.from(back.head.kernel)).toEqual([1, 2, 3, 4, 5, 6])
    expect(back.bestEpoch).toBe(7)
    expect(back.config).toMatchObject({ hiddenUnits: 3, dropout: 0.3, earlyStopping: true, patience: 8 })

    const linear = insertRun(db, run({ dim: 1, numLabels: 2, mean: f32(0), scale: f32(1), kernel: f32(1, 2), bias: f32(0, 0) }, null))
    expect(getRun(db, linear)).toMatchObject({ bestEpoch: null, head: { kernel: f32(1, 2) } })
    expect(getRun(db, linear).head.hidden).toBeUndefined()
    expect(() => db.prepare('UPDATE runs SET hidden_units = 0 WHERE id = ?').run(linear)).toThrow(/CHECK/)
    db.close()
  })
})
