import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { readCatalog, resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { backboneKey, loadBackbone } from '../../../src-main/core/ml/backbones/load.ts'
import { writeTinyGraphModel, writeTinyModel } from '../../integration/ml/helpers.ts'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-catalog-'))
beforeAll(async () => {
  // WASM: the JavaScript backend takes many seconds for one MobileNetV2 image.
  await initBackend({ only: ['wasm', 'cpu'] })
  await writeTinyModel(path.join(dir, 'tiny'))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('backbone catalog', () => {
  it('ships a valid catalog whose default is the bundled offline MobileNetV2 cut at mid-level blocks', () => {
    const catalog = readCatalog()
    const def = catalog.backbones.find((b) => b.id === catalog.default)
    expect(def).toMatchObject({ source: 'bundled', inputSize: 224 })
    expect(def?.featureLayers).toEqual(['block_2_add', 'block_5_add', 'block_9_add', 'block_12_add', 'block_15_add'])
    for (const b of catalog.backbones.filter((e) => e.source === 'url')) expect(b.url).toMatch(/^https:\/\/.+\/model\.json$/)
  })

  it('loads the bundled model offline and pools its layers into one vector', async () => {
    const extractor = await loadBackbone(resolveBackbone(undefined, { layers: ['block_5_add', 'block_12_add'] }))
    expect(extractor.dim).toBe(32 + 96)
    expect(extractor.key).toBe('nsfwjs-mobilenetv2:block_5_add+block_12_add')
    const f = await extractor.extract(new Float32Array(224 * 224 * 3).fill(0.5), 1)
    expect(f).toHaveLength(128)
    extractor.dispose()
  })

  it('names an unknown backbone or layer in the error', async () => {
    expect(() => resolveBackbone('nope')).toThrow(/unknown backbone "nope"/)
    await expect(loadBackbone(resolveBackbone(undefined, { layers: ['block_99_add'] }))).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/block_99_add/) })
  })

  it("uses a custom model folder's chosen layers (or its outputs) and keys the cache by content", async () => {
    const folder = path.join(dir, 'tiny')
    const spec = resolveBackbone(folder, { layers: ['conv_b'] })
    expect(spec).toMatchObject({ source: 'folder', format: 'layers', inputSize: 16 })
    const chosen = await loadBackbone(spec)
    expect(chosen.dim).toBe(8)
    expect(chosen.key).toMatch(/^folder-[0-9a-f]{16}:conv_b$/)
    const outputs = await loadBackbone(resolveBackbone(folder))
    expect(outputs.dim).toBe(2)
    // Same folder, other weights: another cache key.
    await writeTinyModel(path.join(dir, 'tiny'), 99)
    const changed = await loadBackbone(resolveBackbone(folder, { layers: ['conv_b'] }))
    expect(changed.key).not.toBe(chosen.key)
    expect(backboneKey(spec)).toBe(`${spec.id}:conv_b`)
    for (const e of [chosen, outputs, changed]) e.dispose()
  })

  it('reads named nodes of a graph-model folder and average-pools them', async () => {
    const folder = path.join(dir, 'graph')
    writeTinyGraphModel(folder)
    const spec = resolveBackbone(folder, { layers: ['relu'] })
    expect(spec.format).toBe('graph')
    const extractor = await loadBackbone(spec)
    expect(extractor.dim).toBe(4)
    // Every pixel (0.1, 0.2, 0.3): channels 0..2 copy the input, channel 3 is half the blue.
    const px = new Float32Array(16 * 16 * 3).map((_, i) => [0.1, 0.2, 0.3][i % 3] as number)
    const f = Array.from(await extractor.extract(px, 1))
    ;[0.1, 0.2, 0.3, 0.15].forEach((v, i) => expect(f[i]).toBeCloseTo(v, 6))
    extractor.dispose()
  })
})
