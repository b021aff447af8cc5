import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SuspectQueue } from '../../../src-preload/contract.ts'
import { main } from '../../../src-main/cli/index.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { trainProject } from '../../../src-main/core/jobs/train-project.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { plantColourFlips, precisionAt, type PlantedCopy } from './planted-flips.ts'

// The whole apparel-mini fixture with a seeded 5% of its colour cells flipped in train.csv and val.csv,
// trained once with the default pipeline. Measured with this seed (bench/quality.ts): precision 0.765 at
// k = 310 flipped images and 0.86 at 50; other seeds 0.746 / 0.94. Images with a flip are 27% of the
// fixture and 44% of the images with any suspect pair, so the bounds below need a real ranking.
const SEED = 7
const AT_K = 0.65
const AT_50 = 0.75

let planted: PlantedCopy
let file: string
let service: Service
let queue: SuspectQueue

beforeAll(async () => {
  planted = plantColourFlips(SEED)
  file = path.join(planted.dir, 'planted.tagsmith')
  const { project } = await Project.importCsvs({ csvs: planted.csvs, projectFile: file })
  try {
    await trainProject(project)
  } finally {
    project.close()
  }
  const configDir = path.join(planted.dir, 'config')
  fs.mkdirSync(configDir)
  service = new Service({ configDir, mode: 'web', version: '0.0.0-test' })
  await service.request('project:open', { file })
  queue = await service.request('quality:suspects', { limit: 5000 })
}, 600_000)

afterAll(() => {
  service?.close()
  if (planted) fs.rmSync(planted.dir, { recursive: true, force: true })
})

describe('planted colour flips in apparel-mini', () => {
  it('plants 5% of the colour cells of both files', () => {
    expect(planted.cells).toBe(1167 * 6)
    expect(planted.flips.size).toBe(Math.round(0.05 * 934 * 6) + Math.round(0.05 * 233 * 6))
  })

  it('dominate the top of the ranking: precision at k = flipped images and at 50', () => {
    const k = planted.images.size
    const atK = precisionAt(queue.suspects, planted.images, k)
    const at50 = precisionAt(queue.suspects, planted.images, 50)
    // the flipped cell itself is the image's worst pair for most of them
    const top = queue.suspects.slice(0, k)
    const exact = top.filter((s) => planted.flips.has(`${s.image}\t${s.label}`)).length / top.length
    console.info(`planted flips: ${planted.flips.size} cells in ${k} images; precision@${k} ${atK.toFixed(3)}, @50 ${at50.toFixed(3)}; worst pair is the flipped cell in ${exact.toFixed(3)} of the top ${k}`)
    expect(atK).toBeGreaterThan(AT_K)
    expect(at50).toBeGreaterThan(AT_50)
    expect(exact).toBeGreaterThan(AT_K - 0.1)
    expect(queue.total).toBeGreaterThan(k) // the model also disagrees elsewhere: the ranking is what finds them
  })

  it('prints the same ranking from the command line, one entry per image', async () => {
    const out: string[] = []
    const err: string[] = []
    const code = await main(['issues', file, '--top', '20', '--json'], { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false })
    expect({ code, err: err.join('') }).toEqual({ code: 0, err: '' })
    const printed = JSON.parse(out.join('')) as Array<{ image: string; label: string; stored: number; probability: number; score: number }>
    expect(printed.map((p) => [p.image, p.label, p.stored])).toEqual(queue.suspects.slice(0, 20).map((s) => [s.image, s.label, s.stored]))
    expect(new Set(printed.map((p) => p.image)).size).toBe(20)
    for (const p of printed) expect(Object.keys(p)).toEqual(['image', 'label', 'stored', 'probability', 'score'])
  })
})
