import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import type { BackboneSpec } from '../../../src-main/core/ml/backbones/catalog.ts'
import { ensureBackboneDownloaded, type DownloadProgress } from '../../../src-main/core/ml/backbones/download.ts'
import { loadBackbone } from '../../../src-main/core/ml/backbones/load.ts'
import { tempDir, writeTinyModel } from './helpers.ts'

let root: string
let server: http.Server
let base: string
const hits: string[] = []
let hashes: Record<string, string>

beforeAll(async () => {
  await initBackend({ only: ['cpu'] })
  root = tempDir('download')
  const served = path.join(root, 'served', 'tiny')
  const { files } = await writeTinyModel(served, 5)
  hashes = Object.fromEntries(files.map((f) => [f, crypto.createHash('sha256').update(fs.readFileSync(path.join(served, f))).digest('hex')]))
  server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname).replace(/^\/tiny\//, '')
    hits.push(name)
    const file = path.join(served, name)
    if (name.includes('/') || !fs.existsSync(file)) {
      res.writeHead(404).end()
      return
    }
    const data = fs.readFileSync(file)
    res.writeHead(200, { 'content-length': data.length }).end(data)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny/`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  fs.rmSync(root, { recursive: true, force: true })
})

const spec = (over: Partial<BackboneSpec> = {}): BackboneSpec => ({
  id: 'tiny-url',
  name: 'tiny',
  source: 'url',
  format: 'layers',
  url: `${base}model.json`,
  sha256: hashes,
  inputSize: 16,
  normalisation: { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  featureLayers: ['conv_a', 'conv_b'],
  prep: 1,
  ...over,
})

describe('download-once URL backbones', () => {
  it('downloads model.json and its weights with progress, then serves later loads from the cache', async () => {
    const cacheDir = path.join(root, 'cache-ok')
    const progress: DownloadProgress[] = []
    hits.length = 0
    const first = await ensureBackboneDownloaded(spec(), { cacheDir, onProgress: (p) => progress.push(p) })
    expect(first.cached).toBe(false)
    expect(hits).toEqual(['model.json', 'weights.bin'])
    expect(fs.readdirSync(first.dir).sort()).toEqual(['model.json', 'tagsmith-download.json', 'weights.bin'])
    const last = progress.at(-1)
    expect(last?.done).toBe(last?.total)
    expect(last?.done).toBe(fs.statSync(path.join(first.dir, 'model.json')).size + fs.statSync(path.join(first.dir, 'weights.bin')).size)

    const second = await ensureBackboneDownloaded(spec(), { cacheDir })
    expect(second).toEqual({ dir: first.dir, cached: true })
    expect(hits).toHaveLength(2)

    const extractor = await loadBackbone(spec(), { cacheDir })
    expect(extractor.dim).toBe(12)
    expect(hits).toHaveLength(2)
    const features = await extractor.extract(new Float32Array(2 * 16 * 16 * 3).fill(0.25), 2)
    expect(features).toHaveLength(24)
    extractor.dispose()
  })

  it('refuses a file whose sha256 differs from the catalog and leaves no cache behind', async () => {
    const cacheDir = path.join(root, 'cache-bad')
    const wrong = { ...hashes, 'weights.bin': 'f'.repeat(64) }
    await expect(ensureBackboneDownloaded(spec({ sha256: wrong }), { cacheDir })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/sha256 mismatch for weights\.bin/),
    })
    expect(fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir) : []).toEqual([])
  })

  it('re-downloads when a cached file was altered on disk', async () => {
    const cacheDir = path.join(root, 'cache-tampered')
    const { dir } = await ensureBackboneDownloaded(spec(), { cacheDir })
    fs.appendFileSync(path.join(dir, 'weights.bin'), 'x')
    hits.length = 0
    const again = await ensureBackboneDownloaded(spec(), { cacheDir })
    expect(again.cached).toBe(false)
    expect(hits).toEqual(['model.json', 'weights.bin'])
  })

  it('pins files the catalog does not hash at first download', async () => {
    const cacheDir = path.join(root, 'cache-pinned')
    const { dir } = await ensureBackboneDownloaded(spec({ sha256: {} }), { cacheDir })
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'tagsmith-download.json'), 'utf8')) as { files: Record<string, string> }
    expect(manifest.files).toEqual(hashes)
  })

  it('reports an unreachable model as UNAVAILABLE', async () => {
    await expect(ensureBackboneDownloaded(spec({ url: `${base}missing/model.json` }), { cacheDir: path.join(root, 'cache-404') })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/HTTP 404/),
    })
  })
})
