import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { runJob } from '../../../src-main/core/jobs/run-job.ts'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { resolveBackbone, type BackboneSpec } from '../../../src-main/core/ml/backbones/catalog.ts'
import { ensureBackboneDownloaded } from '../../../src-main/core/ml/backbones/download.ts'
import { loadBackbone } from '../../../src-main/core/ml/backbones/load.ts'
import { TINY_LAYERS, writeTinyBackbone } from '../../integration/fault/support/tiny-backbone.ts'
import { expectPlainMessage, removeTemps, tempDir } from './support/service.ts'
import { tables, tree } from './support/snapshot.ts'

interface ModelJson {
  modelTopology: { config: { layers: Array<{ config: { name: string } }> } }
  weightsManifest: Array<{ paths: string[]; weights: Array<{ shape: number[] }> }>
}

const readJson = (dir: string): ModelJson => JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelJson
const writeJson = (dir: string, json: ModelJson): void => fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json))
const weights = (dir: string): string => path.join(dir, 'weights.bin')

interface FolderCase {
  name: string
  damage: (dir: string, root: string) => void
  /** What the message must say; `dir` is the model folder. */
  message: (dir: string) => RegExp
}

const CASES: FolderCase[] = [
  { name: 'a missing weight shard', damage: (d) => fs.rmSync(weights(d)), message: (d) => new RegExp(`^${esc(d)}/model\\.json names weight file weights\\.bin, which is missing$`) },
  {
    name: 'a shard 8 bytes short',
    damage: (d) => fs.writeFileSync(weights(d), fs.readFileSync(weights(d)).subarray(0, -8)),
    message: (d) => new RegExp(`^cannot load backbone folder-${path.basename(d)}: .*should have 8 values but has 6`),
  },
  { name: 'an empty shard', damage: (d) => fs.writeFileSync(weights(d), ''), message: (d) => new RegExp(`^cannot load backbone folder-${path.basename(d)}: .*has 0`) },
  {
    name: 'a shard 64 bytes too long',
    damage: (d) => fs.appendFileSync(weights(d), Buffer.alloc(64)),
    message: () => /weights\.bin/,
  },
  {
    name: 'a manifest whose shapes do not match the weights',
    damage: (d) => {
      const json = readJson(d)
      const first = json.weightsManifest[0]?.weights[0]
      if (first) first.shape = [3, 3, 3, 5]
      writeJson(d, json)
    },
    message: (d) => new RegExp(`^cannot load backbone folder-${path.basename(d)}: .*should have \\d+ values but has \\d+`),
  },
  {
    name: 'a manifest that names a weight file outside the folder',
    damage: (d, root) => {
      fs.renameSync(weights(d), path.join(root, 'elsewhere.bin'))
      const json = readJson(d)
      if (json.weightsManifest[0]) json.weightsManifest[0].paths = ['../elsewhere.bin']
      writeJson(d, json)
    },
    message: () => /outside (its|the) folder/,
  },
  { name: 'a model.json that is not JSON', damage: (d) => fs.writeFileSync(path.join(d, 'model.json'), '{ "format": '), message: (d) => new RegExp(`^${esc(d)}/model\\.json: `) },
  {
    name: 'a layer renamed so its weights have no home',
    damage: (d) => {
      const json = readJson(d)
      const layer = json.modelTopology.config.layers[0]
      if (layer) layer.config.name = 'renamed'
      writeJson(d, json)
    },
    message: (d) => new RegExp(`^backbone folder-${path.basename(d)} has no layer "conv_a"|^cannot load backbone folder-${path.basename(d)}: .*conv_a`),
  },
  { name: 'a backbone.json with a negative input size', damage: (d) => fs.writeFileSync(path.join(d, 'backbone.json'), '{"inputSize": -3}'), message: (d) => new RegExp(`^${esc(d)}/backbone\\.json: `) },
  {
    name: 'a backbone.json that is not JSON',
    damage: (d) => fs.writeFileSync(path.join(d, 'backbone.json'), 'input size: 16'),
    message: (d) => new RegExp(`${esc(d)}/backbone\\.json`),
  },
]

function esc(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Loads the folder as the app does (resolve, then load); returns the error it fails with, or null. */
async function loadError(dir: string): Promise<{ code?: string; message: string } | null> {
  try {
    const extractor = await loadBackbone(resolveBackbone(dir, { layers: TINY_LAYERS }))
    extractor.dispose()
    return null
  } catch (err) {
    return { code: (err as { code?: string }).code, message: err instanceof Error ? err.message : String(err) }
  }
}

describe('a custom backbone folder with bad weights', () => {
  beforeAll(async () => {
    await initBackend({ only: ['cpu'] })
  })
  afterAll(removeTemps)

  for (const c of CASES) {
    it(`is refused naming it, and left as it was: ${c.name}`, async () => {
      const root = tempDir('backbone')
      const { dir } = await writeTinyBackbone(path.join(root, 'model'))
      c.damage(dir, root)
      const before = tree(root)
      const error = await loadError(dir)
      expect(tree(root)).toEqual(before)
      expect(error?.code).toBe('BAD_INPUT')
      expect(error?.message).toMatch(c.message(dir))
      expectPlainMessage(error?.message ?? '')
    })
  }

  it('refused by the extraction job: the job fails naming it and stores no features', async () => {
    const root = tempDir('backbone')
    const { dir } = await writeTinyBackbone(path.join(root, 'model'))
    const spec = resolveBackbone(dir, { layers: TINY_LAYERS })
    fs.writeFileSync(weights(dir), fs.readFileSync(weights(dir)).subarray(0, 100))
    const dbFile = path.join(root, 'project.tagsmith')
    openDatabase(dbFile).close()
    const before = tables(dbFile)
    await expect(runJob('extract', { dbFile, spec, images: [{ id: 1, absPath: path.join(root, 'x.jpg'), hash: 'h1' }] })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/^cannot load backbone folder-model: /),
    })
    expect(tables(dbFile)).toBe(before)
  })
})

describe('a download-once backbone whose file does not match its sha256', () => {
  let server: http.Server
  let base = ''
  let served = ''

  beforeAll(async () => {
    await initBackend({ only: ['cpu'] })
    served = (await writeTinyBackbone(path.join(tempDir('served'), 'tiny'))).dir
    server = http.createServer((req, res) => {
      const name = path.basename(new URL(req.url ?? '/', 'http://x').pathname)
      const file = path.join(served, name)
      if (!fs.existsSync(file)) return void res.writeHead(404).end()
      res.writeHead(200).end(fs.readFileSync(file))
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny/`
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    removeTemps()
  })

  it('is refused naming model.json and the backbone, and nothing is cached', async () => {
    const actual = crypto.createHash('sha256').update(fs.readFileSync(path.join(served, 'model.json'))).digest('hex')
    const spec: BackboneSpec = {
      id: 'tiny-pinned',
      name: 'tiny',
      source: 'url',
      format: 'layers',
      url: `${base}model.json`,
      sha256: { 'model.json': '0'.repeat(64) },
      inputSize: 16,
      normalisation: { mean: [0, 0, 0], std: [1, 1, 1] },
      featureLayers: TINY_LAYERS,
      prep: 1,
    }
    const cacheDir = path.join(tempDir('cache'), 'cache')
    await expect(ensureBackboneDownloaded(spec, { cacheDir })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: `sha256 mismatch for model.json of backbone tiny-pinned (${base}model.json): expected ${'0'.repeat(64)}, got ${actual}`,
    })
    expect(fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []).toEqual([])
  })
})
