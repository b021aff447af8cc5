import { afterEach, describe, expect, it, vi } from 'vitest'
import type { GroupSuggestions, RequestName, Requests, TagsmithApi } from '../../../src-preload/contract.ts'
import { SUGGEST_REFRESH_MS, useGroupSuggestionsStore } from '../../../src-renderer/stores/group-suggestions.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { APPAREL, FakeBridge, type RowSpec } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

const COLOURS = APPAREL.slice(0, 6)
const GARMENTS = APPAREL.slice(6)

/** Images with one colour and one garment each: the two groups are suggested (with 1 % of n violations). */
function apparelRows(n: number): RowSpec[] {
  return Array.from({ length: n }, (_, i) => ({ path: `./c/${i}.jpg`, on: [COLOURS[i % 6] as string, GARMENTS[i % 5] as string] }))
}

/**
 * Answers groups:suggest as the service would for these rows: the colours and the garments, each with its
 * images and violations, while within 1 % and clear of the declared groups. Fails while `fail` is set.
 */
class SuggestingBridge extends FakeBridge {
  fail: { code: string; message: string } | null = null

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name !== 'groups:suggest') return super.answer(name, input)
    if (this.fail) return Promise.reject(this.fail)
    return Promise.resolve(this.suggest() as Requests[K]['out'])
  }

  private suggest(): GroupSuggestions {
    const taken = new Set(this.info.groups.flat())
    const suggestions = [COLOURS, GARMENTS]
      .map((labels) => {
        const at = labels.map((l) => this.info.labels.indexOf(l))
        const violations = this.rows.filter((r) => at.filter((j) => r.labels[j] === 1).length !== 1).length
        return { labels, support: this.rows.length, violations }
      })
      .filter((s) => s.violations <= Math.floor(s.support * 0.01) && s.labels.every((l) => !taken.has(l)))
    return { suggestions, tolerance: 0.01, minSupport: 50 }
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('group suggestions store', () => {
  it('asks once for the rows as they are, again after an edit', async () => {
    const fake = new SuggestingBridge(apparelRows(120))
    await openProject(fake, use)
    const store = useGroupSuggestionsStore()
    expect(await store.load()).toBe(true)
    expect(store.suggestions).toEqual([
      { labels: COLOURS, support: 120, violations: 0 },
      { labels: GARMENTS, support: 120, violations: 0 },
    ])
    await store.load()
    expect(fake.callsOf('groups:suggest')).toHaveLength(1)

    // Image 1 gets a second colour: the answer is stale and the next load counts the violation.
    await useLabelsStore().setMany([1], 'blue', 1)
    expect(store.stale).toBe(true)
    await store.load()
    expect(fake.callsOf('groups:suggest')).toHaveLength(2)
    expect(store.suggestions[0]).toEqual({ labels: COLOURS, support: 120, violations: 1 })
  })

  it('accept declares the suggestion beside the declared groups, and it leaves the list', async () => {
    const fake = new SuggestingBridge(apparelRows(60), APPAREL, [['dress', 'shirt']])
    await openProject(fake, use)
    const store = useGroupSuggestionsStore()
    await store.load()
    // The service leaves out what overlaps the declared garments.
    expect(store.suggestions.map((s) => s.labels)).toEqual([COLOURS])
    const colours = store.suggestions[0]
    if (colours === undefined) throw new Error('no suggestion')
    // Offered with a name (editable before Accept); the declared garments keep theirs (none).
    expect(store.proposedName(colours)).toBe('colour')
    expect(await store.accept(colours, ' colours ')).toBe(true)
    expect(fake.callsOf('groups:set')).toEqual([{ groups: [['dress', 'shirt'], COLOURS], names: ['', 'colours'] }])
    expect(useProjectStore().info?.groups).toEqual([['dress', 'shirt'], COLOURS])
    expect(store.suggestions).toEqual([])
    // Accepting it again would put a label in two groups: nothing is sent.
    expect(await store.accept(colours)).toBe(false)
    expect(fake.callsOf('groups:set')).toHaveLength(1)
  })

  it('a suggestion drops out as soon as a group overlapping it is declared elsewhere', async () => {
    const fake = new SuggestingBridge(apparelRows(60))
    await openProject(fake, use)
    const store = useGroupSuggestionsStore()
    await store.load()
    await useProjectStore().setGroups([['red', 'blue']])
    expect(store.suggestions.map((s) => s.labels)).toEqual([GARMENTS])
    expect(fake.callsOf('groups:suggest')).toHaveLength(1)
  })

  it('while a list shows, edits ask again once they rest', async () => {
    vi.useFakeTimers()
    const fake = new SuggestingBridge(apparelRows(250))
    await openProject(fake, use)
    const store = useGroupSuggestionsStore()
    const hide = store.show()
    await vi.waitFor(() => expect(store.answer).not.toBeNull())
    await useLabelsStore().setMany([2], 'red', 1)
    await useLabelsStore().setMany([3], 'red', 1)
    expect(fake.callsOf('groups:suggest')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(SUGGEST_REFRESH_MS)
    expect(fake.callsOf('groups:suggest')).toHaveLength(2)
    await vi.waitFor(() => expect(store.suggestions[0]?.violations).toBe(2))

    // Hidden: edits ask nothing.
    hide()
    await useLabelsStore().setMany([4], 'red', 1)
    await vi.advanceTimersByTimeAsync(SUGGEST_REFRESH_MS * 2)
    expect(fake.callsOf('groups:suggest')).toHaveLength(2)
  })

  it('a failure shows as the store error; another project forgets the answer', async () => {
    const fake = new SuggestingBridge(apparelRows(60))
    await openProject(fake, use)
    const store = useGroupSuggestionsStore()
    fake.fail = { code: 'CONFLICT', message: 'no project is open' }
    expect(await store.load()).toBe(false)
    expect(store.error).toEqual({ code: 'CONFLICT', message: 'no project is open' })
    fake.fail = null
    expect(await store.load()).toBe(true)
    expect(store.error).toBeNull()
    expect(store.answer).not.toBeNull()

    fake.info = { ...fake.info, file: 'other.tagsmith' }
    await useProjectStore().open('other.tagsmith')
    expect(store.answer).toBeNull()
    expect(store.stale).toBe(true)
  })
})
