// Undo and redo are per user: each takes back or puts back only its author's steps, and gives way, naming
// the cell, who and when, when another user changed one of the step's cells since.
import { describe, expect, it } from 'vitest'
import type { ProjectStore } from '../../src-main/core/store/project-store.ts'
import { engines } from './engines.ts'
import { idOf, smallStore } from './fixture.ts'

const cell = async (store: ProjectStore, path: string, label: number): Promise<unknown> => (await store.findImage(path))?.labels[label]
const RED = 0
const BLUE = 1
const SHIRT = 2

describe.each(engines)('$name store per-user undo', (engine) => {
  it("undo takes back the author's latest step, past another user's later step on other cells; redo puts it back", async () => {
    const { store } = await smallStore(engine)
    const [a, b] = [await idOf(store, 'a.jpg'), await idOf(store, 'b.jpg')]
    const g1 = await store.setLabels([{ imageId: a, label: 'red', value: 0 }], 'ann')
    const g2 = await store.setLabels([{ imageId: b, label: 'blue', value: 0 }], 'bob')
    expect(await store.undoState('ann')).toEqual({ canUndo: true, canRedo: false })
    expect(await store.undoState('cy')).toEqual({ canUndo: false, canRedo: false })

    expect(await store.undo('ann')).toEqual(g1)
    expect(await cell(store, 'a.jpg', RED)).toBe(1)
    expect(await cell(store, 'b.jpg', BLUE)).toBe(0)
    expect(await store.undoState('ann')).toEqual({ canUndo: false, canRedo: true })
    expect(await store.undoState('bob')).toEqual({ canUndo: true, canRedo: false })
    expect(await store.undo('ann')).toBeNull()
    expect(await store.redo('bob')).toBeNull()

    // Bob's new step leaves Ann's redo alone.
    const g3 = await store.setLabels([{ imageId: b, label: 'shirt', value: 1 }], 'bob')
    expect(await store.redo('ann')).toEqual(g1)
    expect(await cell(store, 'a.jpg', RED)).toBe(0)
    expect(await store.undoState('ann')).toEqual({ canUndo: true, canRedo: false })

    // Ann's new step ends only her own redo branch.
    expect(await store.undo('bob')).toEqual(g3)
    expect(await store.undo('ann')).toEqual(g1)
    await store.setLabels([{ imageId: a, label: 'shirt', value: 0 }], 'ann')
    expect(await store.redo('ann')).toBeNull()
    expect(await store.redo('bob')).toEqual(g3)
    expect(await store.undo('bob')).toEqual(g3)
    expect(await store.undo('bob')).toEqual(g2)
    expect(await store.undo('bob')).toBeNull()
  })

  it("refuses an undo when another user changed one of its cells since, naming it, and changes nothing", async () => {
    const { store } = await smallStore(engine)
    const a = await idOf(store, 'a.jpg')
    const mine = await store.setLabels(
      [
        { imageId: a, label: 'red', value: 0 },
        { imageId: a, label: 'shirt', value: 0 },
      ],
      'ann',
    )
    const theirs = await store.setLabels([{ imageId: a, label: 'shirt', value: 1 }], 'bob')
    await store.setLabels([{ imageId: a, label: 'red', value: 1 }], 'cy')
    const before = await store.images()
    // The first of the step's cells that a later step changed: red, by cy.
    const cyStep = (await store.history({ user: 'cy' }))[0]
    await expect(store.undo('ann')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `cannot undo: a.jpg · red was changed by cy at ${cyStep?.at} since`,
    })
    expect(await store.images()).toEqual(before)
    expect((await store.history()).map((h) => h.undone)).toEqual([false, false, false])
    expect(await store.undoState('ann')).toEqual({ canUndo: true, canRedo: false })

    expect(await store.undo('cy')).not.toBeNull()
    await expect(store.undo('ann')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `cannot undo: a.jpg · shirt was changed by bob at ${theirs.at} since`,
    })
    expect(await store.undo('bob')).toEqual(theirs)
    expect(await store.undo('ann')).toEqual(mine)
    expect((await store.findImage('a.jpg'))?.labels).toEqual([1, 0, 1])
  })

  it("refuses a redo when another user changed one of its cells since, naming it, and changes nothing", async () => {
    const { store } = await smallStore(engine)
    const d = await idOf(store, 'd.jpg')
    const mine = await store.setLabels([{ imageId: d, label: 'blue', value: 0 }], 'ann')
    await store.undo('ann')
    const theirs = await store.setLabels([{ imageId: d, label: 'blue', value: 0 }], 'bob')
    await store.setLabels([{ imageId: d, label: 'blue', value: 1 }], 'bob')
    expect(await cell(store, 'd.jpg', BLUE)).toBe(1)
    // Bob's later steps both changed the cell: the message names the first.
    await expect(store.redo('ann')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `cannot redo: d.jpg · blue was changed by bob at ${theirs.at} since`,
    })
    expect(await cell(store, 'd.jpg', BLUE)).toBe(1)
    expect(await store.undoState('ann')).toEqual({ canUndo: false, canRedo: true })
    await store.undo('bob')
    await store.undo('bob')
    expect(await store.redo('ann')).toEqual(mine)
    expect(await cell(store, 'd.jpg', BLUE)).toBe(0)
    expect(await cell(store, 'd.jpg', SHIRT)).toBe(0)
  })

  it('history lists applied and undone steps newest first, with authors; --user keeps one, --limit cuts', async () => {
    const { store } = await smallStore(engine)
    const [a, b] = [await idOf(store, 'a.jpg'), await idOf(store, 'b.jpg')]
    const g1 = await store.setLabels([{ imageId: a, label: 'red', value: 0 }], 'ann')
    const g2 = await store.setLabels([{ imageId: b, label: 'red', value: 1 }], 'bob')
    const g3 = await store.setLabels([{ imageId: b, label: 'shirt', value: 1 }], 'ann')
    await store.undo('ann')
    const all = await store.history()
    expect(all.map((h) => [h.group, h.author, h.kind, h.undone])).toEqual([
      [g3.group, 'ann', 'cells', true],
      [g2.group, 'bob', 'cells', false],
      [g1.group, 'ann', 'cells', false],
    ])
    expect(all[1]).toMatchObject({ at: g2.at, changes: g2.changes })
    expect((await store.history({ user: 'ann' })).map((h) => h.group)).toEqual([g3.group, g1.group])
    expect((await store.history({ user: 'nobody' }))).toEqual([])
    expect((await store.history({ limit: 1 })).map((h) => h.group)).toEqual([g3.group])
    expect((await store.history({ user: 'ann', limit: 1 })).map((h) => h.group)).toEqual([g3.group])
  })
})
