import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { makeRng } from '../../../src-shared/rng.ts'
import { getPredictions, type StoredPredictions } from '../../../src-main/core/ml/run-predictions.ts'
import { getRun, type RunRecord } from '../../../src-main/core/ml/runs.ts'
import { QueueCache } from '../../../src-main/core/quality/queue-cache.ts'
import { confirmImage, reviewPair, suspectQueue, uncertainQueue } from '../../../src-main/core/quality/queues.ts'
import { SCORE_METHODS } from '../../../src-main/core/quality/scoring.ts'
import { addRun, handMadeProject, type HandMade, type HandRow } from './hand-made-project.ts'

const LABELS = ['red', 'blue', 'shirt', 'dress']
// 40 images: seeded cells (a few empty, one image missing) and probabilities that mostly follow them.
const rand = makeRng(3)
const ROWS: Array<HandRow & { probs: number[] }> = Array.from({ length: 40 }, (_, i) => {
  const cells = LABELS.map(() => (rand() < 0.08 ? '' : rand() < 0.35 ? '1' : '0'))
  const probs = cells.map((c) => {
    const agrees = rand() >= 0.25
    const one = c === '' ? rand() < 0.5 : (c === '1') === agrees
    return one ? 0.5 + 0.5 * rand() : 0.5 * rand()
  })
  return { path: `img/${i}.jpg`, cells, probs, split: i % 5 === 4 ? 'val' : 'train', missing: i === 7 }
})

let made: HandMade
let runId: number
const opened: Project[] = []

beforeEach(async () => {
  made = await handMadeProject(LABELS, ROWS)
  // thresholds away from 0.5 so the decision and the margin depend on them
  runId = addRun(made, LABELS, Object.fromEntries(ROWS.map((r) => [r.path, r.probs])), [0.5, 0.4, 0.6, 0.55])
})

afterEach(() => {
  for (const p of opened.splice(0)) p.close()
  made.remove()
})

function open(): Project {
  const project = Project.open(made.file)
  opened.push(project)
  return project
}

describe('queues kept between requests', () => {
  it('answer exactly what reading and scoring everything answers, after accept, keep, undo, redo, confirm and an edit by another connection', () => {
    const project = open()
    const run: RunRecord = getRun(project.db, runId)
    const predictions = getPredictions(project.db, runId, LABELS.length) as StoredPredictions
    // One kept cache per scoring method, so every method's incremental path is checked.
    const caches = new Map(SCORE_METHODS.map((method) => [method, new QueueCache(project)]))
    const uncertainCache = new QueueCache(project)
    const answers: string[] = []

    const same = (step: string): void => {
      for (const method of SCORE_METHODS) {
        const kept = caches.get(method)?.suspects(run, predictions, { method, limit: 1000 })
        expect(kept, `${step}, ${method}`).toStrictEqual(suspectQueue(project, run, predictions, { method, limit: 1000 }))
      }
      const kept = uncertainCache.uncertain(run, predictions, { limit: 1000 })
      expect(kept, step).toStrictEqual(uncertainQueue(project, run, predictions, { limit: 1000 }))
      answers.push(JSON.stringify([suspectQueue(project, run, predictions, { limit: 1000 }), kept]))
    }

    same('at first')
    const first = suspectQueue(project, run, predictions)
    const [top, second] = first.suspects
    if (!top || !second) throw new Error('the hand-made run needs two suspect images')

    reviewPair(project, run, predictions, { imageId: top.imageId, label: top.label, action: 'accept' })
    same('after an accept')
    reviewPair(project, run, predictions, { imageId: second.imageId, label: second.label, action: 'keep' })
    same('after a keep')
    project.edits.undo()
    same('after undo')
    project.edits.redo()
    same('after redo')
    const uncertainTop = uncertainQueue(project, run, predictions).items[0]
    if (!uncertainTop) throw new Error('the hand-made run needs an uncertain image')
    confirmImage(project, run, uncertainTop.imageId)
    same('after a confirmation')

    // Another connection flips a cell the model agrees with (it becomes a suspect) and one of its label's
    // other cells: SQLite's data_version is all this connection hears of it.
    const other = open()
    const record = other.images().find((r) => r.status === 'ok' && r.labels[1] !== null && r.id !== top.imageId && r.id !== second.imageId)
    if (!record) throw new Error('no image to edit')
    const flipped = record.labels[1] === 1 ? 0 : 1
    other.edits.setLabels([{ imageId: record.id, label: 'blue', value: flipped }])
    same('after an edit by another connection')
    other.edits.undo()
    same('after an undo by another connection')

    // Every change above changed the answer: a cache that missed one would have failed a comparison.
    answers.slice(1).forEach((answer, i) => expect(answer, `step ${i + 1}`).not.toBe(answers[i]))
  })
})
