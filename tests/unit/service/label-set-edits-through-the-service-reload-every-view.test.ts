import { describe, expect, it } from 'vitest'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { apparelProject, newService } from './helpers.ts'

const refusal = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise
  } catch (err) {
    expect(err).toBeInstanceOf(TagsmithError)
    expect((err as TagsmithError).code).toBe('BAD_INPUT')
    return (err as TagsmithError).message
  }
  throw new Error('expected a refusal')
}

describe('labels:edit through the service', () => {
  it('answers the step with its structure, tells other clients, and project info and rows follow', async () => {
    const service = newService()
    const heard: Array<string | undefined> = []
    const off = service.subscribe('labels:changed', 'b', ({ structure }) => heard.push(structure))
    await service.request('project:open', { file: await apparelProject(3) })
    await service.request('groups:set', { groups: [['black', 'blue', 'brown', 'green', 'red', 'white']], names: ['colour'] })

    const added = await service.request('labels:edit', { op: 'add', name: 'hat', value: 0 }, 'a')
    expect(added).toMatchObject({ structure: 'label-add', canUndo: true, canRedo: false })
    let info = await service.request('project:current', {})
    expect(info?.labels.at(-1)).toBe('hat')
    expect((await service.request('images:list', {})).every((r) => r.labels.at(-1) === 0)).toBe(true)

    await service.request('labels:edit', { op: 'rename', name: 'red', to: 'crimson' }, 'a')
    info = await service.request('project:current', {})
    expect(info?.labels).toContain('crimson')
    expect(info?.groups).toEqual([['black', 'blue', 'brown', 'green', 'crimson', 'white']])
    expect(info?.groupNames).toEqual(['colour'])

    await service.request('labels:edit', { op: 'move', name: 'hat', to: 1 }, 'a')
    await service.request('labels:edit', { op: 'remove', name: 'white' }, 'a')
    info = await service.request('project:current', {})
    expect(info?.labels.slice(0, 3)).toEqual(['hat', 'black', 'blue'])
    expect(info?.labels).not.toContain('white')
    expect(info?.groups).toEqual([['black', 'blue', 'brown', 'green', 'crimson']])

    const undone = await service.request('labels:undo', {}, 'a')
    expect(undone?.structure).toBe('label-remove')
    expect((await service.request('project:current', {}))?.labels).toContain('white')
    expect(heard).toEqual(['label-add', 'label-rename', 'label-move', 'label-remove', 'label-remove'])
    off()
  })

  it('refuses bad names naming the value, and changes nothing', async () => {
    const service = newService()
    await service.request('project:open', { file: await apparelProject(3) })
    const before = await service.request('project:current', {})
    expect(await refusal(service.request('labels:edit', { op: 'add', name: '' }))).toContain('may not be empty')
    expect(await refusal(service.request('labels:edit', { op: 'add', name: '  ' }))).toContain('"  "')
    expect(await refusal(service.request('labels:edit', { op: 'add', name: 'Image' }))).toContain('"Image"')
    expect(await refusal(service.request('labels:edit', { op: 'add', name: 'RED' }))).toBe('a label named "RED" already exists (as "red")')
    expect(await refusal(service.request('labels:edit', { op: 'rename', name: 'red', to: 'Blue' }))).toContain('"Blue"')
    expect(await refusal(service.request('labels:edit', { op: 'rename', name: 'purple', to: 'violet' }))).toBe('no label named "purple"')
    expect(await refusal(service.request('labels:edit', { op: 'move', name: 'red', to: 99 }))).toContain('position 99')
    expect(await refusal(service.request('labels:edit', { op: 'remove', name: 'mauve' }))).toContain('"mauve"')
    expect(await service.request('project:current', {})).toEqual(before)
    expect(await service.request('labels:history', {})).toEqual({ canUndo: false, canRedo: false })
  })
})
