import { describe, expect, it, vi } from 'vitest'
import type { TagsmithApi } from '../../../src-preload/contract.ts'
import { emptyFilter } from '../../../src-renderer/lib/filter.ts'
import { HISTORY_LIMIT, useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useHealthStore } from '../../../src-renderer/stores/health.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const COLOURS = ['black', 'blue', 'brown', 'green', 'red', 'white']
const GARMENTS = ['dress', 'shirt', 'pants', 'shorts', 'shoes']

describe('filter history', () => {
  it('Back returns to the filter before each click, naming it, until there is none', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    expect(filters.backTo).toBeNull()
    filters.cycleLabel('red')
    expect(filters.backTo).toBe('all images')
    filters.toggleSplit('val')
    expect(filters.ids).toEqual([6])
    expect(filters.backTo).toBe('red')
    filters.showIds([1, 3], 'red · train')
    expect(filters.backTo).toBe('red, val')
    filters.setLabel('shoes', 'lacks')
    expect(filters.backTo).toBe('red · train')

    expect(filters.back()).toBe(true)
    expect(filters.filter.idsNote).toBe('red · train')
    expect(filters.back()).toBe(true)
    expect(filters.filter).toMatchObject({ labels: { red: 'has' }, splits: ['val'] })
    expect(filters.ids).toEqual([6])
    expect(filters.back()).toBe(true)
    expect(filters.back()).toBe(true)
    expect(filters.filter).toEqual(emptyFilter())
    expect(filters.backTo).toBeNull()
    expect(filters.back()).toBe(false)
  })

  it('a run of keystrokes in the search is one entry; a click that changes nothing is none', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    filters.toggleSplit('train')
    for (const text of ['r', 're', 'red', 'red ', 'red d', 'red dr']) filters.setSearch(text)
    expect(filters.history).toHaveLength(2)
    expect(filters.backTo).toBe('train')
    filters.setEdited('any') // already 'any'
    filters.toggleStatus('ok')
    filters.setSearch('red dress')
    filters.setSearch('red dresses')
    expect(filters.history).toHaveLength(4)
    // Back goes to before the second search, then before the status click.
    expect(filters.backTo).toBe('train, ok, “red dr”')
    filters.back()
    expect(filters.filter).toMatchObject({ search: 'red dr', statuses: ['ok'] })
    filters.back()
    expect(filters.filter).toMatchObject({ search: 'red dr', statuses: [] })
    filters.back()
    expect(filters.filter).toEqual({ ...emptyFilter(), splits: ['train'] })
  })

  it('keeps the last few filters only, and the address read back adds none', async () => {
    await openProject(new FakeBridge(sampleRows()), use)
    const filters = useFiltersStore()
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) filters.cycleLabel('red')
    expect(filters.history).toHaveLength(HISTORY_LIMIT)
    filters.replace({ ...emptyFilter(), search: 'shoes' })
    expect(filters.history).toHaveLength(HISTORY_LIMIT)
    let steps = 0
    while (filters.back()) steps++
    expect(steps).toBeLessThanOrEqual(HISTORY_LIMIT)
    expect(filters.history).toHaveLength(0)
  })
})

describe('the group violation chip', () => {
  it('counts the images breaking the group on the rows as they are: an undo and a redo update it', async () => {
    const fake = new FakeBridge(sampleRows(), APPAREL, [COLOURS, GARMENTS])
    fake.info = { ...fake.info, groupNames: ['colour', ''] }
    await openProject(fake, use)
    const filters = useFiltersStore()
    const labels = useLabelsStore()
    filters.cycleLabel('dress')
    // Image 6 is red and blue: the only one breaking the colours.
    filters.showGroupViolations(COLOURS)
    expect(filters.ids).toEqual([6])
    expect(filters.only).toEqual({ count: 1, note: 'not exactly one of colour' })
    expect(filters.backTo).toBe('dress')

    // Clearing image 1's colour breaks the group (every colour cell is filled, none is 1).
    await labels.setMany([1], 'red', 0)
    expect(filters.ids).toEqual([1, 6])
    expect(filters.only?.count).toBe(2)
    await labels.undo()
    expect(filters.ids).toEqual([6])
    expect(filters.only?.count).toBe(1)
    await labels.redo()
    expect(filters.ids).toEqual([1, 6])
    expect(filters.only?.count).toBe(2)
    // Mending image 6 takes it out at once.
    await labels.setMany([6], 'blue', 0)
    expect(filters.ids).toEqual([1])
    expect(filters.only).toEqual({ count: 1, note: 'not exactly one of colour' })

    filters.clearIds()
    expect(filters.only).toBeNull()
    expect(filters.back()).toBe(true)
    expect(filters.only?.count).toBe(1)
  })

  it('an unnamed group is named by its labels; the Health panel opens the same live filter', async () => {
    const fake = new FakeBridge(sampleRows(), APPAREL, [COLOURS, GARMENTS])
    await openProject(fake, use)
    const filters = useFiltersStore()
    filters.showGroupViolations(GARMENTS)
    expect(filters.only).toEqual({ count: 0, note: `not exactly one of ${GARMENTS.join(', ')}` })
    const health = useHealthStore()
    health.health = { groupViolations: [{ group: COLOURS, imageIds: [6] }] } as unknown as typeof health.health
    expect(health.showViolations(0)).toEqual([6])
    expect(filters.filter.group).toEqual(COLOURS)
    await useLabelsStore().setMany([6], 'red', 0)
    expect(filters.ids).toEqual([])
  })
})
