import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { GROUP_NAMES_SETTING, GROUPS_SETTING } from '../../../src-main/core/ml/label-groups.ts'
import { FakeClient } from './fake-transport.ts'
import { apparelProject, newService } from './helpers.ts'

const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']

describe('named label groups through the service', () => {
  it('a project from before names shows its groups unnamed; names set survive a reopen', async () => {
    const file = await apparelProject(60)
    // As an older version stored them: the groups alone.
    const old = Project.open(file)
    old.setSetting(GROUPS_SETTING, [COLOURS, GARMENTS])
    old.close()

    const client = new FakeClient(newService(), 'ui')
    const opened = await client.invoke('project:open', { file })
    expect(opened.groups).toEqual([COLOURS, GARMENTS])
    expect(opened.groupNames).toEqual(['', ''])

    const named = await client.invoke('groups:set', { groups: [GARMENTS, COLOURS], names: [' garment ', 'colour'] })
    expect(named.groupNames).toEqual(['garment', 'colour'])

    const again = new FakeClient(newService(), 'ui')
    const reopened = await again.invoke('project:open', { file })
    expect(reopened.groups).toEqual([GARMENTS, COLOURS])
    expect(reopened.groupNames).toEqual(['garment', 'colour'])
    const stored = Project.open(file)
    try {
      // The groups setting keeps its old shape, so every reader of it is unchanged.
      expect(stored.getSetting(GROUPS_SETTING)).toEqual([GARMENTS, COLOURS])
      expect(stored.getSetting(GROUP_NAMES_SETTING)).toEqual(['garment', 'colour'])
    } finally {
      stored.close()
    }
  })

  it('a caller that sends no names keeps the name of a group with the same labels; a new group has none', async () => {
    const file = await apparelProject(60)
    const client = new FakeClient(newService(), 'ui')
    await client.invoke('project:open', { file })
    await client.invoke('groups:set', { groups: [COLOURS, GARMENTS], names: ['colour', 'garment'] })
    const reordered = await client.invoke('groups:set', { groups: [['dress', 'shirt'], [...COLOURS].reverse()] })
    expect(reordered.groupNames).toEqual(['', 'colour'])
    const cleared = await client.invoke('groups:set', { groups: [] })
    expect(cleared.groupNames).toEqual([])
  })

  it('refuses a name count that does not match, two groups of one name, and an overlong name', async () => {
    const file = await apparelProject(60)
    const client = new FakeClient(newService(), 'ui')
    await client.invoke('project:open', { file })
    await expect(client.invoke('groups:set', { groups: [COLOURS], names: ['a', 'b'] })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    await expect(client.invoke('groups:set', { groups: [COLOURS, GARMENTS], names: ['same', 'Same'] })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/both named/),
    })
    await expect(client.invoke('groups:set', { groups: [COLOURS], names: ['x'.repeat(101)] })).rejects.toMatchObject({ code: 'BAD_INPUT' })
    // Nothing was stored by the refusals.
    const info = await client.invoke('project:current', {})
    expect(info?.groups).toEqual([])
  })
})
