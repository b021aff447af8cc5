// A label-set edit on any engine is one step by its author: an added label can be undone by them (and
// redone), not while another user's later step stands; a rename keeps every cell and the export's header
// follows it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../unit/dataset/helpers.ts'
import { engines } from './engines.ts'
import { TRAIN_CSV, idOf, smallStore } from './fixture.ts'

describe.each(engines)('$name store label-set steps', (engine) => {
  it('adds a label as a step by its author, undone and redone by them, the cells with it', async () => {
    const { store } = await smallStore(engine)
    const before = await store.images()
    const step = await store.editLabelSet({ op: 'add', name: 'scarf', value: 0 }, 'ann')
    expect(step).toMatchObject({ group: expect.any(Number), structure: 'label-add' })
    expect(await store.labels()).toEqual(['red', 'blue', 'shirt', 'scarf'])
    const a = await idOf(store, 'a.jpg')
    await store.setLabels([{ imageId: a, label: 'scarf', value: 1 }], 'ann')
    expect((await store.findImage('a.jpg'))?.labels).toEqual([1, 0, 1, 1])
    expect((await store.history()).map((h) => [h.kind, h.author])).toEqual([
      ['cells', 'ann'],
      ['label-add', 'ann'],
    ])

    await store.undo('ann')
    expect((await store.undo('ann'))?.structure).toBe('label-add')
    expect(await store.labels()).toEqual(['red', 'blue', 'shirt'])
    expect(await store.images()).toEqual(before)
    expect(await store.undoState('ann')).toEqual({ canUndo: false, canRedo: true })

    expect((await store.redo('ann'))?.structure).toBe('label-add')
    expect(await store.redo('ann')).toMatchObject({ changes: [{ imageId: a, label: 'scarf', old: 0, new: 1 }] })
    expect((await store.findImage('a.jpg'))?.labels).toEqual([1, 0, 1, 1])
    // A new label's id comes after every id the project used, on either engine.
    const next = await store.editLabelSet({ op: 'add', name: 'hat' }, 'bob')
    expect(next.group).toBeGreaterThan(step.group)
    expect((await store.findImage('a.jpg'))?.labels).toEqual([1, 0, 1, 1, null])
  })

  it("refuses to undo the add while another user's later step stands, naming them, and changes nothing", async () => {
    const { store } = await smallStore(engine)
    await store.editLabelSet({ op: 'add', name: 'scarf' }, 'ann')
    const b = await idOf(store, 'b.jpg')
    const theirs = await store.setLabels([{ imageId: b, label: 'red', value: 1 }], 'bob')
    const images = await store.images()
    await expect(store.undo('ann')).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `cannot undo: bob made a step at ${theirs.at} since this label-add step`,
    })
    expect(await store.labels()).toEqual(['red', 'blue', 'shirt', 'scarf'])
    expect(await store.images()).toEqual(images)
    expect((await store.history()).every((h) => !h.undone)).toBe(true)
    // Once bob takes his step back, ann's goes.
    await store.undo('bob')
    expect((await store.undo('ann'))?.structure).toBe('label-add')
    expect(await store.labels()).toEqual(['red', 'blue', 'shirt'])
  })

  it('renames a label keeping every cell; the export writes the new header; a bad name changes nothing', async () => {
    const { store } = await smallStore(engine)
    const before = await store.images()
    expect((await store.editLabelSet({ op: 'rename', name: 'red', to: 'crimson' }, 'ann')).structure).toBe('label-rename')
    expect(await store.labels()).toEqual(['crimson', 'blue', 'shirt'])
    expect(await store.images()).toEqual(before)
    const c = await idOf(store, 'c.jpg')
    await store.setLabels([{ imageId: c, label: 'crimson', value: 1 }], 'ann')
    const out = tempDir()
    await store.exportCsvs(out)
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toBe(TRAIN_CSV.replace('image,red,', 'image,crimson,').replace('c.jpg,0,0,\n', 'c.jpg,1,0,\n'))

    await expect(store.editLabelSet({ op: 'rename', name: 'blue', to: 'shirt' }, 'ann')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(store.editLabelSet({ op: 'move', name: 'nope', to: 1 }, 'ann')).rejects.toMatchObject({ code: 'BAD_INPUT' })
    expect(await store.labels()).toEqual(['crimson', 'blue', 'shirt'])
    expect(await store.history()).toHaveLength(2)
  })
})
