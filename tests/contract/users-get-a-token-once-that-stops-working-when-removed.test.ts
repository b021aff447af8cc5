// Users of a store: a token shown once, its user found from it until the user is removed; bad names refused.
import { describe, expect, it } from 'vitest'
import { engines } from './engines.ts'
import { smallStore } from './fixture.ts'

describe.each(engines)('$name store users', (engine) => {
  it('add gives a token that names its user; remove stops it at once; list shows names and times', async () => {
    const { store } = await smallStore(engine)
    expect(await store.listUsers()).toEqual([])
    const ann = await store.addUser('ann')
    const bob = await store.addUser('Bob Smith')
    expect(ann.token).toMatch(/^tsu_[A-Za-z0-9_-]{43}$/)
    expect(bob.token).not.toBe(ann.token)
    expect(Number.isNaN(Date.parse(ann.createdAt))).toBe(false)
    expect(await store.listUsers()).toEqual([
      { name: 'Bob Smith', createdAt: bob.createdAt },
      { name: 'ann', createdAt: ann.createdAt },
    ])
    expect(await store.userOfToken(ann.token)).toBe('ann')
    expect(await store.userOfToken(bob.token)).toBe('Bob Smith')
    await store.removeUser('ann')
    expect(await store.userOfToken(ann.token)).toBeNull()
    expect(await store.userOfToken(bob.token)).toBe('Bob Smith')
    expect((await store.listUsers()).map((u) => u.name)).toEqual(['Bob Smith'])
    // A new token for the same name: the old one stays dead.
    const again = await store.addUser('ann')
    expect(await store.userOfToken(again.token)).toBe('ann')
    expect(await store.userOfToken(ann.token)).toBeNull()
  })

  it('unknown and malformed tokens belong to nobody', async () => {
    const { store } = await smallStore(engine)
    const { token } = await store.addUser('ann')
    for (const bad of ['', 'tsu_', token.slice(0, -1), `${token}x`, token.replace('tsu_', 'tsx_'), `tsu_${'A'.repeat(43)}`, "tsu_' OR 1=1 --"]) {
      expect(await store.userOfToken(bad)).toBeNull()
    }
  })

  it.each([
    ['', 'user name "" is empty'],
    ['   ', 'user name "   " is empty'],
    ['a'.repeat(65), `user name "${'a'.repeat(65)}" is longer than 64 characters`],
    ['ann\nroot', 'user name "ann\\nroot" holds a control character'],
  ])('refuses the name %j naming it, adding nobody', async (name, message) => {
    const { store } = await smallStore(engine)
    await expect(store.addUser(name)).rejects.toMatchObject({ code: 'BAD_INPUT', message })
    expect(await store.listUsers()).toEqual([])
  })

  it('refuses a taken name and removing an unknown user, naming them', async () => {
    const { store } = await smallStore(engine)
    const first = await store.addUser('ann')
    await expect(store.addUser('ann')).rejects.toMatchObject({ code: 'BAD_INPUT', message: 'user "ann" already exists' })
    expect(await store.userOfToken(first.token)).toBe('ann')
    await expect(store.removeUser('zed')).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'no user "zed"' })
    expect(await store.addUser('a'.repeat(64))).toMatchObject({ name: 'a'.repeat(64) })
  })
})
