// The CLI checks its options with the app's request schemas: a value the app would refuse, the CLI refuses
// with exit 2, naming the option and the value as typed; a value the app takes goes on to the project.
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../src-main/cli/index.ts'
import { requestInput } from '../../../src-main/cli/request-input.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { getRun } from '../../../src-main/core/ml/runs.ts'
import { addRun, handMadeProject, type HandMade } from '../../unit/quality/hand-made-project.ts'

const LABELS = ['a', 'b']
let made: HandMade
let runId: number

beforeAll(async () => {
  made = await handMadeProject(LABELS, [
    { path: 'img/1.jpg', cells: ['1', '0'] },
    { path: 'img/2.jpg', cells: ['0', '1'], split: 'val' },
  ])
  runId = addRun(made, LABELS, { 'img/1.jpg': [0.9, 0.1], 'img/2.jpg': [0.2, 0.8] })
})

afterAll(() => made?.remove())

async function tagsmith(...argv: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = []
  const code = await main(argv, { out: () => {}, err: (t) => void err.push(t), interactive: false })
  return { code, err: err.join('') }
}

describe('CLI options go through the request schemas', () => {
  const missing = (): string => join(made.dir, 'nope.tagsmith')

  it.each([
    [['train', 'P', '--lr', '5'], 'tagsmith train: --lr: bad value "5": too big: expected number to be <=1'],
    [['train', 'P', '--seed=-1'], 'tagsmith train: --seed: bad value "-1": too small: expected number to be >=0'],
    [['train', 'P', '--l2', '2'], '--l2: bad value "2": too big'],
    [['train', 'P', '--batch', '100000'], '--batch: bad value "100000": too big'],
    [['train', 'P', '--epochs', '1.5'], '--epochs: bad value "1.5": invalid input: expected int'],
    [['train', 'P', '--lr', 'fast'], '--lr: bad value "fast": invalid input: expected number, received NaN'],
    [['train', 'P', '--hidden', '5000'], '--hidden: bad value "5000": too big'],
    [['train', 'P', '--dropout', '1'], '--dropout: bad value "1": too big'],
    [['train', 'P', '--patience', '2.5'], '--patience: bad value "2.5": invalid input: expected int'],
    [['train', 'P', '--engine', 'gpu'], '--engine: bad value "gpu": invalid option'],
    [['health', 'P', '--similarity', '0'], '--similarity: bad value "0": too small'],
    [['issues', 'P', '--top', '2000000'], '--top: bad value "2000000": too big'],
    [['evaluate', 'P', '--run', '0'], '--run: bad value "0": too small'],
    [['export-model', 'P', '--out', 'dir', '--run', '1.5'], '--run: bad value "1.5"'],
    [['groups', 'P', 'a,b', 'a'], 'group 2: bad value "a": a group needs at least two labels'],
    [['import', 'train.csv', '--images', ''], '--images: bad value "": must not be empty'],
  ])('%j is refused before the project is opened', async (argv, message) => {
    // The project file does not exist: a refusal that names the option came before any look at it.
    const { code, err } = await tagsmith(...argv.map((a) => (a === 'P' ? missing() : a)))
    expect(code).toBe(2)
    expect(err).toContain(message)
  })

  it('refuses `train --seed -1` naming the option, since a dash starts an option unless written --seed=-1', async () => {
    const { code, err } = await tagsmith('train', missing(), '--seed', '-1')
    expect(code).toBe(2)
    expect(err).toContain("'--seed")
  })

  it('refuses thresholds the app would refuse, naming the --set item and leaving the run as it was', async () => {
    const before = await tagsmith('thresholds', made.file, '--set', 'a=2')
    expect(before).toEqual({ code: 2, err: 'tagsmith thresholds: --set: bad value "a=2": too big: expected number to be <=1\n' })
    const precision = await tagsmith('thresholds', made.file, '--tune-precision', '1.5')
    expect(precision.code).toBe(2)
    expect(precision.err).toContain('--tune-precision: bad value "1.5": too big')
    const project = Project.open(made.file)
    try {
      expect(getRun(project.db, runId).thresholds).toEqual([0.5, 0.5])
    } finally {
      project.close()
    }
  })

  it('lets allowed values through: train goes on to the project, thresholds are set', async () => {
    const train = await tagsmith('train', missing(), '--lr', '0.5', '--seed', '7', '--l2', '0.01', '--engine', 'tfjs')
    expect(train).toEqual({ code: 2, err: `tagsmith train: project file not found: ${missing()}\n` })
    expect(await tagsmith('thresholds', made.file, '--set', 'b=0.25')).toEqual({ code: 0, err: '' })
    const project = Project.open(made.file)
    try {
      expect(getRun(project.db, runId).thresholds).toEqual([0.5, 0.25])
    } finally {
      project.close()
    }
  })

  it('hands a command the input as the schema passed it', () => {
    const from = { learningRate: { option: '--lr', text: '0.5' }, seed: { option: '--seed', text: '7.5' } }
    expect(requestInput('train:start', { learningRate: 0.5, seed: 7 }, from)).toEqual({ learningRate: 0.5, seed: 7 })
    expect(() => requestInput('train:start', { learningRate: 0.5, seed: 7.5 }, from)).toThrow('--seed: bad value "7.5": invalid input: expected int')
  })
})
