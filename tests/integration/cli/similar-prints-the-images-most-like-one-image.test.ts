// `tagsmith similar`: the images most like one image by the cached features, the image itself first, as
// JSON with the paths as written in the CSV; paths, options and images without features are refused by name.
import { describe, expect, it } from 'vitest'
import { main } from '../../../src-main/cli/index.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { cacheKeyOf } from '../../../src-main/core/ml/backbones/load.ts'
import { prepVersion } from '../../../src-main/core/ml/extract.ts'
import { putFeatures } from '../../../src-main/core/ml/feature-cache.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { apparelProject } from '../../unit/service/helpers.ts'

async function tagsmith(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(argv, { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false })
  return { code, out: out.join(''), err: err.join('') }
}

/** An apparel subset whose images (all but the last) have random features under the default backbone. */
async function project(): Promise<{ file: string; paths: string[]; features: Float32Array[] }> {
  const file = await apparelProject(9)
  const p = Project.open(file)
  try {
    const spec = resolveBackbone(undefined)
    const rng = makeRng(11)
    const rows = p.images()
    const features = rows.slice(0, -1).map((r) => {
      const v = Float32Array.from({ length: 8 }, () => rng() - 0.4)
      putFeatures(p.db, cacheKeyOf(spec), prepVersion(spec), [{ hash: r.hash as string, data: v }])
      return v
    })
    return { file, paths: rows.map((r) => r.path), features }
  } finally {
    p.close()
  }
}

const cosine = (a: Float32Array, b: Float32Array): number => {
  const dot = (x: Float32Array, y: Float32Array): number => x.reduce((s, v, k) => s + v * (y[k] ?? 0), 0)
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b))
}

describe('tagsmith similar', () => {
  it('prints the image itself, then the most similar, as JSON with paths as written', async () => {
    const { file, paths, features } = await project()
    const query = paths[2] as string
    // As written in the CSV (./clothes_dataset/…) or relative to the dataset folder.
    const asWritten = await tagsmith('similar', file, query, '--top', '4', '--json')
    expect(asWritten.code).toBe(0)
    const items = JSON.parse(asWritten.out) as Array<{ image: string; similarity: number }>
    const q = features[2] as Float32Array
    const want = features
      .map((v, i) => ({ image: paths[i] as string, similarity: cosine(q, v) }))
      .filter((_, i) => i !== 2)
      .sort((a, b) => b.similarity - a.similarity)
    expect(items.map((i) => i.image)).toEqual([query, ...want.slice(0, 3).map((w) => w.image)])
    expect(items[0]?.similarity).toBeCloseTo(1, 5)
    items.slice(1).forEach((item, i) => expect(item.similarity).toBeCloseTo(want[i]?.similarity ?? NaN, 5))
    const relative = await tagsmith('similar', file, query.replace(/^\.\//, ''), '--top', '4', '--json')
    expect(JSON.parse(relative.out)).toEqual(items)

    const text = await tagsmith('similar', file, query)
    expect(text.code).toBe(0)
    expect(text.out).toContain(`Images most like ${query} by the features of ${resolveBackbone(undefined).name} (no run yet); 1 image without features left out`)
    expect(text.out.trim().split('\n')).toHaveLength(3 + 8)
  })

  it('refuses an unknown path, an image without features, a bad --top and a missing run, naming each', async () => {
    const { file, paths } = await project()
    const unknown = await tagsmith('similar', file, 'nowhere/x.jpg')
    expect(unknown).toMatchObject({ code: 2, err: expect.stringContaining('no image "nowhere/x.jpg" in') })
    const last = paths[paths.length - 1] as string
    const without = await tagsmith('similar', file, last, '--json')
    expect(without.code).toBe(2)
    expect(without.err).toContain(`${last} has no features for ${resolveBackbone(undefined).name}: train or extract first`)
    expect(await tagsmith('similar', file, paths[0] as string, '--top', '0')).toMatchObject({ code: 2, err: expect.stringContaining('--top') })
    expect(await tagsmith('similar', file, paths[0] as string, '--run', '7')).toMatchObject({ code: 2, err: expect.stringContaining('no run 7') })
  })
})
