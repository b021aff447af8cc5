import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Predictions, TriedImage, TryAnswer, TryFailure } from '../../../src-preload/contract.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { decideLabels } from '../../../src-shared/label-decisions.ts'
import { tagsmith, tagsmithInProcess } from '../cli/run-cli.ts'
import { zeroPng } from '../../unit/images/sample-images.ts'
import { copyFixtureSubset, fixtureImages, tempDir } from './helpers.ts'

// Trying images from outside a project: model:try (the Try panel) and `tagsmith predict <project> --run N`.
// 30 train + 10 val apparel images, 4 epochs. The same image gives the same figures both ways, and an image
// of the project scores as its stored prediction (the features are the cache's); bad files are named.
const COLOURS = 'black,blue,brown,green,red,white'
const GARMENTS = 'dress,shirt,pants,shorts,shoes'
let dir: string
let project: string
let valImages: string[]
let outside: string[]
let text: string
let bomb: string
let service: Service

const b64 = (file: string): { name: string; bytesBase64: string } => ({ name: path.basename(file), bytesBase64: fs.readFileSync(file).toString('base64') })
const tried = (r: TriedImage | TryFailure | undefined): TriedImage => {
  if (!r || 'error' in r) throw new Error(`expected a labelled image, got ${JSON.stringify(r)}`)
  return r
}

beforeAll(async () => {
  dir = tempDir('try')
  copyFixtureSubset(dir, 'train.csv', 30)
  valImages = copyFixtureSubset(dir, 'val.csv', 10)
  // Images the project does not hold, read where they lie.
  outside = fixtureImages(60).slice(-3)
  text = path.join(dir, 'notes.jpg')
  fs.writeFileSync(text, 'not an image\n')
  bomb = path.join(dir, 'bomb.png')
  fs.writeFileSync(bomb, zeroPng(30_000, 30_000))
  project = path.join(dir, 'p.tagsmith')
  expect((await tagsmithInProcess('import', path.join(dir, 'train.csv'), path.join(dir, 'val.csv'), '--project', project, '--json')).code).toBe(0)
  expect((await tagsmith('train', project, '--epochs', '4', '--seed', '1', '--json')).code).toBe(0)
  expect((await tagsmithInProcess('groups', project, COLOURS, GARMENTS)).code).toBe(0)
  expect((await tagsmithInProcess('thresholds', project, '--set', 'black=0.3', '--json')).code).toBe(0)
  service = new Service({ configDir: path.join(dir, 'config'), mode: 'web', version: '0.0.0-test' })
  await service.request('project:open', { file: project })
}, 300_000)

afterAll(() => {
  service?.close()
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('model:try and tagsmith predict <project> --run N', () => {
  let answer: TryAnswer

  it('model:try loads the model, then labels each file at the run thresholds with groups decided, and names a bad file and a bomb', async () => {
    // No file: the run's model is loaded (the panel asks so on opening), and the images after it find it warm.
    const loaded = await service.request('model:try', { runId: 1, files: [] })
    expect(loaded).toMatchObject({ runId: 1, cold: true, results: [] })
    expect(loaded.loadMs).toBeGreaterThan(0)
    answer = await service.request('model:try', { runId: 1, files: [...outside.map(b64), b64(text), b64(bomb)] })
    expect(answer).toMatchObject({ runId: 1, cold: false, decodeGroups: true, groups: [COLOURS.split(','), GARMENTS.split(',')] })
    expect(answer.labels).toHaveLength(11)
    expect(answer.thresholds[answer.labels.indexOf('black')]).toBe(0.3)
    expect(answer.results).toHaveLength(5)
    for (const r of answer.results.slice(0, 3).map(tried)) {
      expect(r.probs).toHaveLength(11)
      // Exactly one colour and one garment: the groups decide.
      expect(r.decision.reduce((s: number, d) => s + d, 0)).toBe(2)
      expect(r.decision).toEqual(Array.from(decideLabels(r.probs, 1, 11, answer.thresholds, [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], true)))
      expect(r.timings.decode + r.timings.features + r.timings.head).toBeGreaterThan(0)
    }
    expect(answer.results[3]).toEqual({ name: 'notes.jpg', error: { code: 'BAD_INPUT', message: expect.stringMatching(/^notes\.jpg: not a recognised image format/) } })
    expect(answer.results[4]).toEqual({
      name: 'bomb.png',
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/^bomb\.png: image is 30000×30000 \(900 MP\), above the limit of 100 MP; refused as a possible decompression bomb/) },
    })
  })

  it('the second request finds the model warm; without group decoding each label is decided by its threshold', async () => {
    const again = await service.request('model:try', { runId: 1, files: [b64(outside[0] as string)], decodeGroups: false })
    expect(again).toMatchObject({ cold: false, loadMs: 0, decodeGroups: false })
    const r = tried(again.results[0])
    expect(r.probs).toEqual(tried(answer.results[0]).probs)
    expect(r.decision).toEqual(r.probs.map((p, j) => (p >= (again.thresholds[j] ?? 0.5) ? 1 : 0)))
  })

  it('an image of the project scores as its stored prediction (validation rows: the final head on cached features)', async () => {
    const stored: Predictions = await service.request('predict:get', { runId: 1 })
    const rows = await service.request('images:list', {})
    const file = valImages[0] as string
    const row = rows.find((r) => path.resolve(dir, r.path) === path.resolve(file))
    expect(row).toBeDefined()
    const at = stored.imageIds.indexOf(row?.id ?? -1)
    expect(stored.source[at]).toBe('val')
    const got = tried((await service.request('model:try', { runId: 1, files: [b64(file)] })).results[0])
    const want = stored.probs.slice(at * 11, (at + 1) * 11)
    got.probs.forEach((p, j) => expect(p).toBeCloseTo(want[j] ?? NaN, 4))
  })

  it('the command prints the same probabilities and labels as the request, and names the bad files (exit 2)', async () => {
    const run = await tagsmith('predict', project, '--run', '1', ...outside, text, bomb, '--json')
    expect(run.code).toBe(2)
    expect(run.stderr).toBe('tagsmith predict: 2 of 5 images could not be read\n')
    const rows = JSON.parse(run.stdout) as Array<{ file: string; labels?: string[]; probs?: Record<string, number>; thresholds?: Record<string, number>; error?: string }>
    expect(rows.map((r) => r.file)).toEqual([...outside, text, bomb])
    rows.slice(0, 3).forEach((r, i) => {
      const want = tried(answer.results[i])
      answer.labels.forEach((l, j) => expect(r.probs?.[l]).toBeCloseTo(want.probs[j] ?? NaN, 5))
      expect(r.labels).toEqual(answer.labels.filter((_, j) => want.decision[j] === 1))
      expect(r.thresholds?.black).toBe(0.3)
    })
    expect(rows[3]?.error).toMatch(/notes\.jpg: not a recognised image format/)
    expect(rows[4]?.error).toMatch(/bomb\.png: image is 30000×30000 \(900 MP\).*decompression bomb/)

    const textOut = await tagsmithInProcess('predict', project, outside[0] as string)
    expect(textOut.code).toBe(0)
    const want = tried(answer.results[0])
    expect(textOut.stdout.split('\n')[1]).toBe(`${outside[0]}: ${answer.labels.filter((_, j) => want.decision[j] === 1).join(', ')}`)
  })

  it('refuses --run without a project and an unknown run', async () => {
    expect(await tagsmithInProcess('predict', dir, outside[0] as string, '--run', '1')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--run names a run of a project/) })
    expect(await tagsmithInProcess('predict', project, '--run', '9', outside[0] as string)).toMatchObject({ code: 2, stderr: 'tagsmith predict: no run 9 in this project\n' })
    await expect(service.request('model:try', { runId: 9, files: [b64(text)] })).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })
})
