import { existsSync, readdirSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src-main/core/db/open.ts'
import type { ExtractJobInput, ExtractJobResult } from '../../src-main/core/jobs/kinds/extract.ts'
import { JOB_KINDS } from '../../src-main/core/jobs/registry.ts'
import { runJobModule } from '../../src-main/core/jobs/run-job.ts'
import { resolveBackbone } from '../../src-main/core/ml/backbones/catalog.ts'
import { repoRoot } from './harness/desktop-app.ts'

// What the app runs is the build: every job kind is an entry of out/main, and the built extraction opens
// its ONNX Runtime session in out/main/ort-worker.js. Were the worker missing from the build, or the code
// starting it not beside it, the ONNX engine would fail to open and extraction would fall back to TF.js.
const outMain = path.join(repoRoot, 'out', 'main')
const fixturesRoot = process.env.TAGSMITH_FIXTURES ?? path.resolve(repoRoot, '..', 'shared', 'fixtures')
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagsmith-built-jobs-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the built job modules', () => {
  it('hold every job kind of the registry and the ONNX Runtime worker', () => {
    expect(readdirSync(path.join(outMain, 'kinds')).sort()).toEqual(JOB_KINDS.map((kind) => `${kind}.js`).sort())
    expect(existsSync(path.join(outMain, 'ort-worker.js'))).toBe(true)
  })

  it('extract features with ONNX Runtime, its session in the built worker thread', async () => {
    const folder = path.join(fixturesRoot, 'apparel-mini', 'clothes_dataset', 'black_dress')
    const images = readdirSync(folder)
      .sort()
      .slice(0, 4)
      .map((name, i) => ({ id: i + 1, absPath: path.join(folder, name), hash: `built-${i}` }))
    const dbFile = path.join(dir, 'built.tagsmith')
    openDatabase(dbFile).close()
    const input: ExtractJobInput = { dbFile, spec: resolveBackbone(undefined), images, engine: 'onnx', cacheDir: path.join(dir, 'cache') }
    const result = await runJobModule<ExtractJobResult>('extract', path.join(outMain, 'kinds', 'extract.js'), input)
    expect(result).toMatchObject({ engine: 'onnx', computed: 4, skipped: [] })
  }, 120_000)
})
