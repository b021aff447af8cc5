import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../src-main/cli/index.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { getPredictions } from '../../../src-main/core/ml/run-predictions.ts'
import { getRun } from '../../../src-main/core/ml/runs.ts'
import { reviewPair } from '../../../src-main/core/quality/queues.ts'
import { addRun, handMadeProject, type HandMade } from '../../unit/quality/hand-made-project.ts'

const bin = path.resolve(import.meta.dirname, '../../../bin/tagsmith.mjs')
const LABELS = ['a', 'b', 'c']
const ROWS = [
  { path: 'img\\1.jpg', cells: ['1', '0', '0'], probs: [0.05, 0.1, 0.1] }, // a: stored 1, model 0 (strong)
  { path: 'img/2.jpg', cells: ['0', '1', '0'], probs: [0.1, 0.3, 0.1] }, // b: stored 1, model 0 (mild)
  { path: 'img/3.jpg', cells: ['0', '0', '1'], probs: [0.1, 0.1, 0.9] },
  { path: 'img/4.jpg', cells: ['1', '0', '0'], probs: [0.9, 0.1, 0.1] },
]

let made: HandMade
let empty: HandMade

function capture(): { out: string[]; err: string[]; io: Parameters<typeof main>[1] } {
  const out: string[] = []
  const err: string[] = []
  return { out, err, io: { out: (t) => void out.push(t), err: (t) => void err.push(t), interactive: false } }
}

beforeAll(async () => {
  made = await handMadeProject(LABELS, ROWS)
  addRun(made, LABELS, Object.fromEntries(ROWS.map((r) => [r.path, r.probs])))
  empty = await handMadeProject(LABELS, ROWS.slice(0, 1))
})

afterAll(() => {
  made?.remove()
  empty?.remove()
})

describe('tagsmith issues', () => {
  it('prints one JSON entry per image, most suspect first, with the path as written in the CSV', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, 'issues', made.file, '--json'])
    expect(stderr).toBe('')
    const printed = JSON.parse(stdout) as unknown[]
    expect(printed).toEqual([
      { image: 'img\\1.jpg', label: 'a', stored: 1, probability: expect.closeTo(0.05, 6), score: expect.any(Number) },
      { image: 'img/2.jpg', label: 'b', stored: 1, probability: expect.closeTo(0.3, 6), score: expect.any(Number) },
    ])
  })

  it('prints a readable table, limited by --top, for a chosen run', async () => {
    const { out, io } = capture()
    expect(await main(['issues', made.file, '--top', '1', '--run', '1'], io)).toBe(0)
    const text = out.join('')
    expect(text).toMatch(/^run 1: 2 images with a suspect label; the 1 most suspect\n/)
    expect(text).toMatch(/\n\s+1\s+[\d.]+\s+a\s+1\s+0\s+0\.0500\s+img\\1\.jpg\n$/)
    expect(text).not.toMatch(/img\/2\.jpg/)
  })

  it('leaves out a pair kept in the app', async () => {
    const project = Project.open(made.file)
    try {
      const run = getRun(project.db)
      const predictions = getPredictions(project.db, run.id, run.labels.length)
      if (!predictions) throw new Error('no predictions')
      reviewPair(project, run, predictions, { imageId: made.ids.get('img/2.jpg') ?? -1, label: 'b', action: 'keep' })
    } finally {
      project.close()
    }
    const { out, io } = capture()
    expect(await main(['issues', made.file, '--json'], io)).toBe(0)
    expect((JSON.parse(out.join('')) as Array<{ image: string }>).map((p) => p.image)).toEqual(['img\\1.jpg'])
  })

  it('exits 2 naming the problem: bad options, no such run, no trained run, no project', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['issues', made.file, '--top', '0'], /--top: bad value "0": too small/],
      [['issues', made.file, '--run', 'x'], /--run: bad value "x"/],
      [['issues', made.file, '--run', '7'], /no run 7 in this project/],
      [['issues', made.file, '--colour'], /--colour/],
      [['issues'], /give exactly one project file/],
      [['issues', empty.file], /no trained run yet: train first/],
      [['issues', path.join(made.dir, 'nope.tagsmith')], /project file not found/],
    ]
    for (const [argv, message] of cases) {
      const { out, err, io } = capture()
      expect(await main(argv, io), argv.join(' ')).toBe(2)
      expect(err.join('')).toMatch(message)
      expect(out).toEqual([])
    }
  })
})
