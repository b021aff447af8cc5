import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyFixtureSubset, tempDir } from '../ml/helpers.ts'
import { node, repoRoot, tagsmith, tagsmithInProcess } from './run-cli.ts'

// The CLI around a trained run: groups, thresholds, evaluate, export-model, predict, and the exported
// folder's own predict.mjs. 40 train + 20 val apparel images, 4 epochs.
const COLOURS = 'black,blue,brown,green,red,white'
const GARMENTS = 'dress,shirt,pants,shorts,shoes'
let dir: string
let project: string
let valImages: string[]

beforeAll(async () => {
  dir = tempDir('cli-model')
  copyFixtureSubset(dir, 'train.csv', 40)
  valImages = copyFixtureSubset(dir, 'val.csv', 20)
  project = path.join(dir, 'p.tagsmith')
  expect((await tagsmithInProcess('import', path.join(dir, 'train.csv'), path.join(dir, 'val.csv'), '--project', project, '--json')).code).toBe(0)
  const trained = await tagsmith('train', project, '--epochs', '4', '--seed', '1', '--json')
  expect(trained.stderr).toBe('')
  const result = JSON.parse(trained.stdout.trim().split('\n').at(-1) ?? '{}') as { predictions: { rows: number } }
  expect(result.predictions.rows).toBe(60)
}, 300_000)

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('tagsmith groups, thresholds, evaluate, export-model and predict', () => {
  it('groups: sets, prints and refuses unknown or shared labels', async () => {
    const set = await tagsmithInProcess('groups', project, COLOURS, GARMENTS, '--json')
    expect(set.code).toBe(0)
    expect(JSON.parse(set.stdout)).toEqual({ groups: [COLOURS.split(','), GARMENTS.split(',')], names: ['', ''] })
    const bad = await tagsmithInProcess('groups', project, 'black,purple')
    expect(bad).toMatchObject({ code: 2, stderr: 'tagsmith groups: group 1: unknown label "purple"\n' })
    expect((await tagsmithInProcess('groups', project, 'black,blue', 'blue,red')).stderr).toMatch(/"blue" is in groups 1 and 2/)
    expect(JSON.parse((await tagsmithInProcess('groups', project, '--json')).stdout)).toEqual({ groups: [COLOURS.split(','), GARMENTS.split(',')], names: ['', ''] })
  })

  it('evaluate --json reports the thresholds used and exactMatchGrouped; thresholds tunes and sets them', async () => {
    const before = JSON.parse((await tagsmithInProcess('evaluate', project, '--json')).stdout) as Record<string, unknown>
    expect(before).toMatchObject({ n: 20, thresholds: Object.fromEntries([...COLOURS.split(','), ...GARMENTS.split(',')].map((l) => [l, 0.5])) })
    expect(before.exactMatchGrouped).toEqual(expect.any(Number))
    expect(before.groups).toEqual([COLOURS.split(','), GARMENTS.split(',')])

    const tuned = await tagsmithInProcess('thresholds', project, '--tune', 'f1', '--json')
    expect(tuned.code).toBe(0)
    const t = JSON.parse(tuned.stdout) as { runId: number; thresholds: Record<string, number>; tuned: Record<string, number> }
    expect(t.tuned).toEqual(t.thresholds)
    expect(Object.keys(t.thresholds)).toHaveLength(11)
    const after = JSON.parse((await tagsmithInProcess('evaluate', project, '--json')).stdout) as { thresholds: Record<string, number> }
    expect(after.thresholds).toEqual(t.thresholds)

    const set = JSON.parse((await tagsmithInProcess('thresholds', project, '--set', 'black=0.25', '--json')).stdout) as typeof t
    expect(set.thresholds.black).toBe(0.25)
    expect(set.tuned).toEqual(t.tuned)
    expect((await tagsmithInProcess('thresholds', project, '--set', 'black=2')).code).toBe(2)
    expect((await tagsmithInProcess('thresholds', project, '--tune', 'recall')).code).toBe(2)
  })

  it('export-model --json prints {out, files, maxAbsDiff, onnx}; predict (either engine) and predict.mjs label images from the folder alone', async () => {
    const out = path.join(dir, 'model')
    const exported = await tagsmith('export-model', project, '--out', out, '--json')
    expect(exported.stderr).toBe('')
    const result = JSON.parse(exported.stdout) as { out: string; files: string[]; maxAbsDiff: number; onnx: { file: string; maxAbsDiff: number } | null }
    expect(Object.keys(result)).toEqual(['out', 'files', 'maxAbsDiff', 'onnx'])
    expect(result.onnx?.file).toBe('model.onnx')
    expect(result.onnx?.maxAbsDiff).toBeLessThan(1e-4)
    expect(result.out).toBe(out)
    expect(result.files).toEqual(expect.arrayContaining(['model.json', 'tagsmith.json', 'README.md', 'predict.mjs']))
    expect(result.maxAbsDiff).toBeLessThan(1e-4)

    // The project is not needed any more: predict reads the folder only.
    fs.renameSync(project, `${project}.away`)
    const images = valImages.slice(0, 4)
    const predicted = await tagsmith('predict', out, ...images, path.join(dir, 'nope.jpg'), '--json')
    expect(predicted.code).toBe(2)
    const rows = JSON.parse(predicted.stdout) as Array<{ file: string; engine?: string; labels?: string[]; probs?: Record<string, number>; error?: string }>
    expect(rows.map((r) => r.file)).toEqual([...images, path.join(dir, 'nope.jpg')])
    expect(rows.slice(0, 4).map((r) => r.engine)).toEqual(['onnx', 'onnx', 'onnx', 'onnx'])
    const viaTfjs = await tagsmith('predict', out, ...images, '--engine', 'tfjs')
    expect(viaTfjs.stdout.split('\n')[0]).toBe('engine: TF.js (model.json)')
    expect(viaTfjs.stdout.split('\n').slice(1, 5)).toEqual(rows.slice(0, 4).map((r) => `${r.file}: ${(r.labels ?? []).join(', ')}`))
    expect(rows.at(-1)?.error).toEqual(expect.any(String))
    for (const r of rows.slice(0, 4)) {
      expect(Object.keys(r.probs ?? {})).toHaveLength(11)
      // Groups: one colour and one garment each.
      expect(r.labels?.filter((l) => COLOURS.split(',').includes(l))).toHaveLength(1)
      expect(r.labels?.filter((l) => GARMENTS.split(',').includes(l))).toHaveLength(1)
    }
    fs.renameSync(`${project}.away`, project)

    // predict.mjs needs @tensorflow/tfjs and sharp: found through a node_modules beside the folder.
    fs.symlinkSync(path.join(repoRoot, 'node_modules'), path.join(dir, 'node_modules'), 'dir')
    const example = await node([path.join(out, 'predict.mjs'), ...images, '--json'], dir)
    expect(example.code).toBe(0)
    const mine = JSON.parse(example.stdout) as typeof rows
    mine.forEach((r, i) => {
      expect(r.labels).toEqual(rows[i]?.labels)
      for (const [label, p] of Object.entries(r.probs ?? {})) expect(Math.abs(p - (rows[i]?.probs?.[label] ?? -1))).toBeLessThan(1e-4)
    })
    expect((await tagsmith('predict', dir, images[0] ?? '')).stderr).toMatch(/tagsmith\.json/)
  }, 240_000)
})
