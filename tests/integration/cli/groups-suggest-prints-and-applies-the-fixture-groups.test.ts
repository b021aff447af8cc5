import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apparelDir, tempDir } from '../ml/helpers.ts'
import { tagsmith } from './run-cli.ts'

// `tagsmith groups --suggest` on the whole apparel-mini fixture (every image has exactly one colour and
// one garment): the two groups, then --apply declares them beside what is declared.
const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']
let dir: string
let project: string
let images: number

beforeAll(async () => {
  dir = tempDir('cli-groups')
  project = path.join(dir, 'p.tagsmith')
  const csvs = ['train.csv', 'val.csv'].map((f) => path.join(apparelDir(), f))
  const imported = await tagsmith('import', ...csvs, '--project', project, '--json')
  expect(imported.code).toBe(0)
  images = (JSON.parse(imported.stdout) as { rows: number }).rows
}, 120_000)

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('tagsmith groups --suggest', () => {
  it('--json: exactly the colour and garment groups, every image supporting each, no violations', async () => {
    const run = await tagsmith('groups', project, '--suggest', '--json')
    expect(run).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(run.stdout)).toEqual({
      groups: [],
      names: [],
      suggestions: [
        { labels: COLOURS, support: images, violations: 0 },
        { labels: GARMENTS, support: images, violations: 0 },
      ],
      tolerance: 0.01,
      minSupport: 50,
    })
  })

  it('prints one line per suggestion with its figures and the tolerance', async () => {
    const run = await tagsmith('groups', project, '--suggest')
    expect(run.code).toBe(0)
    const n = images.toLocaleString('en-US')
    expect(run.stdout).toContain('up to 1 % of those images may break it')
    expect(run.stdout).toContain(`  black · blue · brown · green · red · white: ${n} images, 0 violations\n`)
    expect(run.stdout).toContain(`  dress · shirt · pants · shorts · shoes: ${n} images, 0 violations\n`)
  })

  it('--apply declares the suggestions beside the declared groups; then nothing is left to suggest', async () => {
    expect((await tagsmith('groups', project, 'dress,shirt')).code).toBe(0)
    const applied = await tagsmith('groups', project, '--suggest', '--apply', '--json')
    expect(applied.code).toBe(0)
    // A suggestion overlapping a declared group is not offered: the garments stay as declared.
    expect(JSON.parse(applied.stdout)).toMatchObject({
      groups: [['dress', 'shirt'], COLOURS],
      suggestions: [{ labels: COLOURS, support: images, violations: 0 }],
    })
    // Each applied suggestion is named as the app proposes; the group declared without a name keeps none.
    expect(JSON.parse((await tagsmith('groups', project, '--json')).stdout)).toEqual({ groups: [['dress', 'shirt'], COLOURS], names: ['', 'colour'] })

    expect((await tagsmith('groups', project, '--clear')).code).toBe(0)
    const all = await tagsmith('groups', project, '--suggest', '--apply', '--json')
    expect(JSON.parse(all.stdout)).toMatchObject({ groups: [COLOURS, GARMENTS], names: ['colour', 'garment'] })
    const again = await tagsmith('groups', project, '--suggest')
    expect(again.stdout).toMatch(/^no groups suggested/)
  })

  it('refuses --apply without --suggest, and --suggest with groups given', async () => {
    expect(await tagsmith('groups', project, '--apply')).toMatchObject({ code: 2, stderr: 'tagsmith groups: --apply declares the suggestions: give --suggest too\n' })
    expect((await tagsmith('groups', project, '--suggest', 'red,blue')).code).toBe(2)
  })
})
