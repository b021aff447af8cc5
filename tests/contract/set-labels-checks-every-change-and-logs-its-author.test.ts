// setLabels writes one logged step by its author, or refuses bad input naming it and writes nothing.
import { describe, expect, it } from 'vitest'
import { engines } from './engines.ts'
import { idOf, smallStore } from './fixture.ts'

describe.each(engines)('$name store setLabels', (engine) => {
  it('records one step with the changed cells and its author; a no-op records none', async () => {
    const { store } = await smallStore(engine)
    const a = await idOf(store, 'a.jpg')
    const c = await idOf(store, 'c.jpg')
    const group = await store.setLabels(
      [
        { imageId: a, label: 'red', value: 1 }, // already 1
        { imageId: c, label: 'shirt', value: 1 }, // empty -> 1
        { imageId: a, label: 'blue', value: 1 },
      ],
      'ann',
    )
    expect(group.group).toBeGreaterThan(0)
    expect(group.changes).toEqual([
      { imageId: c, label: 'shirt', old: null, new: 1 },
      { imageId: a, label: 'blue', old: 0, new: 1 },
    ])
    expect((await store.findImage('c.jpg'))?.labels).toEqual([0, 0, 1])
    expect((await store.findImage('c.jpg'))?.edited).toBe(true)
    expect(await store.setLabels([{ imageId: a, label: 'blue', value: 1 }], 'ann')).toMatchObject({ group: 0, changes: [] })
    const history = await store.history()
    expect(history).toHaveLength(1)
    expect(history[0]).toMatchObject({ group: group.group, at: group.at, author: 'ann', kind: 'cells', undone: false })
    expect(history[0]?.changes).toEqual(group.changes)
  })

  it.each([
    [[{ label: 'green', value: 1 }], /unknown label "green"/],
    [[{ label: 'red', value: 2 }], /label value must be 0 or 1, got 2/],
    [[{ label: 'red', value: 0 }, { label: 'blue', value: 'yes' }], /got "yes"/],
    [[{ label: 'red', value: 0, imageId: 999_999 }], /no image with id 999999/],
  ])('refuses %j naming it, and writes nothing', async (bad, message) => {
    const { store } = await smallStore(engine)
    const a = await idOf(store, 'a.jpg')
    const before = await store.images()
    const changes = bad.map((c) => ({ imageId: a, ...c })) as never
    await expect(store.setLabels(changes, 'ann')).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(message) })
    expect(await store.images()).toEqual(before)
    expect(await store.history()).toEqual([])
    expect(await store.undoState('ann')).toEqual({ canUndo: false, canRedo: false })
  })

  it('setSplit moves rows and refuses an unknown id or split, changing nothing', async () => {
    const { store } = await smallStore(engine)
    const a = await idOf(store, 'a.jpg')
    const b = await idOf(store, 'b.jpg')
    await store.setSplit([a, b], 'test', 'ann')
    expect((await store.imagesByIds([a, b])).map((i) => i.split)).toEqual(['test', 'test'])
    await expect(store.setSplit([a, 999_999], 'val', 'ann')).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('999999') })
    await expect(store.setSplit([a], 'holdout' as never, 'ann')).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringContaining('"holdout"') })
    expect((await store.imagesByIds([a])).map((i) => i.split)).toEqual(['test'])
  })
})
