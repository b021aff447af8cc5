import { describe, expect, it, vi } from 'vitest'
import type { EditResult, LabelSetEdit, Requests, RequestName, TagsmithApi } from '../../../src-preload/contract.ts'
import { followLabelSet, renamesBetween } from '../../../src-renderer/lib/label-set-follow.ts'
import { emptyFilter } from '../../../src-renderer/lib/filter.ts'
import { useFiltersStore } from '../../../src-renderer/stores/filters.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelSetStore } from '../../../src-renderer/stores/label-set.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { usePredictionsStore } from '../../../src-renderer/stores/predictions.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { APPAREL, FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'
import { casePredictions, PredictionsBridge } from './predictions-fake.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** Answers labels:edit as the service does (renames and adds only), and undoes the last one. */
class LabelSetBridge extends FakeBridge {
  private done: Array<{ labels: string[]; rows: FakeBridge['rows'] }> = []

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const step = (structure: string): EditResult => ({ group: 9, changes: [], rows: [], canUndo: this.done.length > 0, canRedo: false, structure })
    if (name === 'labels:edit') {
      const edit = input as LabelSetEdit
      if (edit.op === 'add' && this.info.labels.includes(edit.name)) {
        return Promise.reject({ code: 'BAD_INPUT', message: `a label named ${JSON.stringify(edit.name)} already exists` })
      }
      this.done.push({ labels: this.info.labels, rows: this.rows })
      if (edit.op === 'rename') this.info = { ...this.info, labels: this.info.labels.map((l) => (l === edit.name ? edit.to : l)) }
      if (edit.op === 'add') {
        this.info = { ...this.info, labels: [...this.info.labels, edit.name] }
        this.rows = this.rows.map((r) => ({ ...r, labels: [...r.labels, edit.value ?? null] }))
      }
      return Promise.resolve(step(`label-${edit.op}`) as Requests[K]['out'])
    }
    if (name === 'labels:undo' && this.done.length > 0) {
      const last = this.done.pop()
      if (last) [this.info, this.rows] = [{ ...this.info, labels: last.labels }, last.rows]
      return Promise.resolve(step('label-rename') as Requests[K]['out'])
    }
    return super.answer(name, input)
  }
}

describe('label-set edits in the app', () => {
  it('an add reloads the labels and rows; a refusal stays beside its field, naming the value', async () => {
    const fake = new LabelSetBridge(sampleRows())
    await openProject(fake, use)
    const set = useLabelSetStore()
    expect(await set.edit({ op: 'add', name: 'hat', value: 0 }, 'add')).toBe(true)
    expect(useLabelsStore().labels.at(-1)).toBe('hat')
    expect(useImagesStore().row(1)?.labels.at(-1)).toBe(0)
    expect(useLabelsStore().lastEdit).toMatchObject({ kind: 'set', structure: 'label-add' })

    expect(await set.edit({ op: 'add', name: 'hat' }, 'add')).toBe(false)
    expect(set.errorFor('add')).toBe('a label named "hat" already exists')
    expect(set.errorFor({ row: 'hat' })).toBeNull()
  })

  it('a rename carries the filter and Back over to the new name; undo carries them back', async () => {
    const fake = new LabelSetBridge(sampleRows())
    await openProject(fake, use)
    const filters = useFiltersStore()
    filters.setLabel('red', 'has')
    filters.setLabel('dress', 'lacks')
    const shown = [...filters.ids]
    await useLabelSetStore().edit({ op: 'rename', name: 'red', to: 'crimson' }, { row: 'red' })
    expect(useProjectStore().info?.labels).toContain('crimson')
    expect(filters.filter.labels).toEqual({ crimson: 'has', dress: 'lacks' })
    expect(filters.history.at(-1)?.labels).toEqual({ crimson: 'has' })
    expect([...filters.ids]).toEqual(shown)

    await useLabelsStore().undo()
    expect(useLabelsStore().labels).toEqual(APPAREL)
    expect(filters.filter.labels).toEqual({ red: 'has', dress: 'lacks' })
  })

  it('a label-set step in another window reloads this one (labels:changed with its structure)', async () => {
    const fake = new LabelSetBridge(sampleRows())
    await openProject(fake, use)
    const labels = useLabelsStore()
    fake.info = { ...fake.info, labels: APPAREL.map((l) => (l === 'blue' ? 'navy' : l)) }
    fake.emit('labels:changed', { rows: [], structure: 'label-rename' })
    await vi.waitFor(() => expect(labels.labels).toContain('navy'))
  })

  it('reads a rename off two label lists, and drops a removed label from the filter', () => {
    expect(renamesBetween(['a', 'b', 'c'], ['a', 'x', 'c'])).toEqual(new Map([['b', 'x']]))
    expect(renamesBetween(['a', 'b', 'c'], ['b', 'a', 'c']).size).toBe(0)
    expect(renamesBetween(['a', 'b'], ['a', 'b', 'c']).size).toBe(0)
    const f = { ...emptyFilter(), labels: { a: 'has' as const, b: 'lacks' as const }, group: ['a', 'b'], idsNote: 'not exactly one of a, b' }
    const after = followLabelSet(f, ['a', 'b', 'c'], ['a', 'c'])
    expect(after.labels).toEqual({ a: 'has' })
    expect(after.group).toBeUndefined()
    expect(after.idsNote).toBeUndefined()
    expect(followLabelSet(f, ['a', 'b'], ['b', 'a'])).toBe(f)
  })
})

describe('predictions after a label-set step', () => {
  it('are read again, so a renamed label keeps its probabilities under its new name', async () => {
    const fake = new PredictionsBridge()
    await openProject(fake, use)
    const predictions = usePredictionsStore()
    await vi.waitFor(() => expect(predictions.runId).toBe(3))
    useLabelsStore()
    const asked = fake.callsOf('predict:get').length
    // As the service renames the label in the project and in the runs that know it.
    fake.predictions = { ...casePredictions(), labels: ['a', 'bee', 'c'] }
    fake.info = { ...fake.info, labels: ['a', 'bee', 'c'] }
    fake.emit('labels:changed', { rows: [], structure: 'label-rename' })
    await vi.waitFor(() => expect(predictions.labels).toEqual(['a', 'bee', 'c']))
    expect(fake.callsOf('predict:get').length).toBe(asked + 1)
  })
})
