import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { chooseEngine } from '../../../src-main/core/ml/backbones/engine-choice.ts'
import { cacheKeyOf } from '../../../src-main/core/ml/backbones/load.ts'
import { defaultExtractWorkers, extractInParallel, extractWorkersFor } from '../../../src-main/core/jobs/extract-parallel.ts'
import { prepVersion, type ExtractImage } from '../../../src-main/core/ml/extract.ts'
import { loadFeatureMatrix } from '../../../src-main/core/ml/feature-cache.ts'
import { fixtureImages, tempDir } from './helpers.ts'

// The engine training uses by default, run the way training runs it (child processes), must be ONNX
// Runtime here and fill the cache with the features TF.js would: same key, same numbers within 1e-4.
const spec = resolveBackbone(undefined)
let dir: string
let images: ExtractImage[]

beforeAll(() => {
  dir = tempDir('engine-choice')
  images = fixtureImages(4).map((absPath, i) => ({ id: i + 1, absPath, hash: `hash-${i}` }))
})

afterEach(() => {
  vi.unstubAllEnvs()
})

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

async function extractWith(name: string, engine: Awaited<ReturnType<typeof chooseEngine>>): Promise<{ x: Float32Array; engine: string }> {
  const dbFile = path.join(dir, `${name}.tagsmith`)
  openDatabase(dbFile).close()
  const result = await extractInParallel({ dbFile, spec, images, engine, cacheDir: path.join(dir, 'cache') })
  expect(result).toMatchObject({ computed: 4, skipped: [], key: cacheKeyOf(spec) })
  const db = openDatabase(dbFile)
  try {
    const m = loadFeatureMatrix(db, cacheKeyOf(spec), prepVersion(spec), images.map((i) => i.hash))
    expect(m.missing.size).toBe(0)
    return { x: m.x, engine: result.engine }
  } finally {
    db.close()
  }
}

describe('feature extraction engine choice', () => {
  it('defaults to ONNX in one process, and TAGSMITH_ENGINE=wasm gives TF.js with the same features', async () => {
    vi.stubEnv('TAGSMITH_ENGINE', '')
    const chosen = await chooseEngine(spec)
    expect(chosen).toBe('onnx')
    expect(extractWorkersFor({ engine: chosen })).toBe(1)
    const onnx = await extractWith('onnx', chosen)
    expect(onnx.engine).toBe('onnx')

    vi.stubEnv('TAGSMITH_ENGINE', 'wasm')
    const forced = await chooseEngine(spec)
    expect(forced).toBe('wasm')
    expect(extractWorkersFor({ engine: forced })).toBe(defaultExtractWorkers())
    const tfjs = await extractWith('wasm', forced)
    expect(tfjs.engine).toBe('wasm')

    expect(onnx.x.length).toBe(tfjs.x.length)
    let worst = 0
    for (let i = 0; i < onnx.x.length; i++) worst = Math.max(worst, Math.abs((onnx.x[i] ?? 0) - (tfjs.x[i] ?? 0)))
    expect(worst).toBeLessThan(1e-4)
    expect(Math.max(...tfjs.x)).toBeGreaterThan(0.5)
  }, 120_000)

  it("takes 'tfjs' as the fastest TF.js engine, and sends graph models to TF.js by default", async () => {
    vi.stubEnv('TAGSMITH_ENGINE', '')
    expect(await chooseEngine(spec, 'tfjs')).not.toBe('onnx')
    expect(await chooseEngine({ ...spec, format: 'graph' })).not.toBe('onnx')
    await expect(chooseEngine(spec, 'turbo')).rejects.toMatchObject({ code: 'BAD_INPUT' })
  })
})
