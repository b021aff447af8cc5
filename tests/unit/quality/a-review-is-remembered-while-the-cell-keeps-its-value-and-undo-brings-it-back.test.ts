import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Events } from '../../../src-preload/contract.ts'
import { osAccountName } from '../../../src-main/core/dataset/edit-authors.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { Service } from '../../../src-main/core/service/index.ts'
import { FakeClient } from '../service/fake-transport.ts'
import { addRun, handMadeProject, type HandMade } from './hand-made-project.ts'

const LABELS = ['a', 'b', 'c']
// img/1: a stored 1 at 0.05 (strong suspect). img/2: b stored 1 at 0.3 and c stored 0 at 0.8 (two
// milder ones). The rest agree with the model.
const ROWS = [
  { path: 'img/1.jpg', cells: ['1', '0', '0'], probs: [0.05, 0.1, 0.1] },
  { path: 'img/2.jpg', cells: ['0', '1', '0'], probs: [0.1, 0.3, 0.8] },
  { path: 'img/3.jpg', cells: ['0', '0', '1'], probs: [0.1, 0.1, 0.9] },
  { path: 'img/4.jpg', cells: ['1', '0', '0'], probs: [0.9, 0.1, 0.1] },
  { path: 'img/5.jpg', cells: ['0', '1', '0'], probs: [0.1, 0.9, 0.1] },
  { path: 'img/6.jpg', cells: ['0', '0', '1'], probs: [0.2, 0.1, 0.7] },
]

let made: HandMade
let runId: number
const services: Service[] = []
let opened = 0

function open(): { ui: FakeClient; other: FakeClient } {
  const configDir = join(made.dir, `config-${opened++}`)
  mkdirSync(configDir)
  const service = new Service({ configDir, mode: 'web', version: '0.0.0-test' })
  services.push(service)
  return { ui: new FakeClient(service, 'ui'), other: new FakeClient(service, 'other') }
}

beforeEach(async () => {
  made = await handMadeProject(LABELS, ROWS)
  runId = addRun(made, LABELS, Object.fromEntries(ROWS.map((r) => [r.path, r.probs])))
})

afterEach(() => {
  for (const s of services.splice(0)) s.close()
  made.remove()
})

const id = (path: string): number => made.ids.get(path) ?? -1

describe('the label-error review queue', () => {
  it('walks the ranking: keep remembers the pair, accept stores the model’s view as one undoable edit, undo brings it back', async () => {
    const { ui, other } = open()
    await ui.invoke('project:open', { file: made.file })
    const heard: Array<Events['labels:changed']> = []
    other.on('labels:changed', (e) => heard.push(e))

    const first = await ui.invoke('quality:suspects', {})
    expect(first).toMatchObject({ runId, total: 2, reviewed: 0, fixed: 0 })
    expect(first.suspects.map((s) => [s.image, s.label, s.stored])).toEqual([
      ['img/1.jpg', 'a', 1],
      ['img/2.jpg', expect.any(String), expect.any(Number)],
    ])
    expect(first.suspects[0]?.probability).toBeCloseTo(0.05, 6)
    const img2 = first.suspects[1]
    const img2Other = first.others[id('img/2.jpg')]
    expect(img2Other).toHaveLength(1)
    expect(new Set([img2?.label, img2Other?.[0]?.label])).toEqual(new Set(['b', 'c']))

    // keep: remembered, the image's other pair now leads it
    const kept = await ui.invoke('quality:review', { runId, imageId: id('img/2.jpg'), label: img2?.label ?? '', action: 'keep' })
    expect(kept).toEqual({ edit: null, reviewed: 1, fixed: 0 })
    const afterKeep = await ui.invoke('quality:suspects', {})
    expect(afterKeep.suspects.map((s) => [s.image, s.label])).toEqual([
      ['img/1.jpg', 'a'],
      ['img/2.jpg', img2Other?.[0]?.label],
    ])
    expect(afterKeep).toMatchObject({ total: 2, reviewed: 1, fixed: 0 })

    // accept: one edit, heard by the other window, the pair leaves the queue
    const accepted = await ui.invoke('quality:review', { runId, imageId: id('img/1.jpg'), label: 'a', action: 'accept' })
    expect(accepted).toMatchObject({ reviewed: 2, fixed: 1 })
    expect(accepted.edit?.changes).toEqual([{ imageId: id('img/1.jpg'), label: 'a', old: 1, new: 0 }])
    expect(accepted.edit?.rows.map((r) => [r.path, r.labels, r.edited])).toEqual([['img/1.jpg', [0, 0, 0], true]])
    expect(accepted.edit).toMatchObject({ canUndo: true, canRedo: false })
    expect(heard.map((e) => e.rows.map((r) => r.path))).toEqual([['img/1.jpg']])
    const afterAccept = await ui.invoke('quality:suspects', {})
    expect(afterAccept.suspects.map((s) => s.image)).toEqual(['img/2.jpg'])
    expect(afterAccept).toMatchObject({ total: 2, reviewed: 2, fixed: 1 })
    await expect(ui.invoke('quality:review', { runId, imageId: id('img/1.jpg'), label: 'a', action: 'accept' })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/img\/1\.jpg.*already agrees with run/),
    })

    // undo: the cell holds the old value again, so the pair is asked again and no longer counts as fixed
    await ui.invoke('labels:undo', {})
    const afterUndo = await ui.invoke('quality:suspects', {})
    expect(afterUndo.suspects.map((s) => [s.image, s.label])).toEqual([
      ['img/1.jpg', 'a'],
      ['img/2.jpg', img2Other?.[0]?.label],
    ])
    expect(afterUndo).toMatchObject({ total: 2, reviewed: 1, fixed: 0 })

    // redo: the review holds again
    await ui.invoke('labels:redo', {})
    expect(await ui.invoke('quality:suspects', {})).toMatchObject({ suspects: [{ image: 'img/2.jpg' }], reviewed: 2, fixed: 1 })
    ui.close()
    other.close()
  })

  it('remembers reviews in the project file, and a newer run does not ask a kept pair again', async () => {
    const first = open().ui
    await first.invoke('project:open', { file: made.file })
    await first.invoke('quality:review', { runId, imageId: id('img/2.jpg'), label: 'b', action: 'keep' })
    await first.invoke('quality:review', { runId, imageId: id('img/2.jpg'), label: 'c', action: 'keep' })
    first.close()
    for (const s of services.splice(0)) s.close()
    // Reviews name who made them: with no team member asking, the OS account.
    const db = openDatabase(made.file)
    expect(db.prepare('SELECT DISTINCT author FROM label_reviews').pluck().all()).toEqual([osAccountName()])
    db.close()

    const newer = addRun(made, LABELS, Object.fromEntries(ROWS.map((r) => [r.path, r.probs])))
    const again = open().ui
    await again.invoke('project:open', { file: made.file })
    expect(await again.invoke('quality:suspects', { runId })).toMatchObject({ suspects: [{ image: 'img/1.jpg' }], total: 2, reviewed: 2, fixed: 0 })
    // the latest run by default: the kept pairs stay out; they were reviewed under the older run
    expect(await again.invoke('quality:suspects', {})).toMatchObject({ runId: newer, suspects: [{ image: 'img/1.jpg' }], total: 2, reviewed: 0, fixed: 0 })
    again.close()
  })

  it('limits the queue to the top images but counts them all', async () => {
    const { ui } = open()
    await ui.invoke('project:open', { file: made.file })
    const top = await ui.invoke('quality:suspects', { limit: 1 })
    expect(top.suspects.map((s) => s.image)).toEqual(['img/1.jpg'])
    expect(top.others).toEqual({})
    expect(top.total).toBe(2)
    ui.close()
  })
})
