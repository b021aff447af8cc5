import { describe, expect, it, vi } from 'vitest'
import type { AddImagesInput, EditResult, ImageRow, Requests, RequestName, TagsmithApi } from '../../../src-preload/contract.ts'
import { useAddImagesStore } from '../../../src-renderer/stores/add-images.ts'
import { useImagesStore } from '../../../src-renderer/stores/images.ts'
import { useLabelsStore } from '../../../src-renderer/stores/labels.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'
import { openProject } from './open-sample.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))
const use = (b: FakeBridge): void => void (bridge.current = b)

/** Answers images:add as the service does (a row per path and upload, one step) and undoes it; rescan lists two files. */
class AddBridge extends FakeBridge {
  private before: ImageRow[] | null = null

  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    const step = (canUndo: boolean): EditResult => ({ group: 7, changes: [], rows: [], canUndo, canRedo: !canUndo, structure: 'images-add' })
    if (name === 'images:add') {
      const add = input as AddImagesInput
      if (add.csv === 'x.csv') return Promise.reject({ code: 'BAD_INPUT', message: 'no CSV named "x.csv" in this project (its CSVs: train.csv)' })
      const names = [...(add.paths ?? []), ...(add.uploads ?? []).map((u) => `added/${u.name}`)]
      this.before = this.rows
      const first = this.rows.length + 1
      const added = names.map((rel, i) => ({ id: first + i, rel }))
      this.rows = [...this.rows, ...added.map((a): ImageRow => ({ id: a.id, path: a.rel, source: 'train.csv', split: 'train', status: 'ok', labels: this.info.labels.map(() => null), edited: false, hash8: null }))]
      this.info = { ...this.info, imageCount: this.rows.length }
      const answer = { added, duplicates: [{ name: 'c/red_dress/a1.jpg', existing: './c/red_dress/a1.jpg' }], skipped: [], refused: [], result: step(true) }
      return Promise.resolve(answer as Requests[K]['out'])
    }
    if (name === 'labels:undo' && this.before !== null) {
      ;[this.rows, this.before] = [this.before, null]
      this.info = { ...this.info, imageCount: this.rows.length }
      return Promise.resolve(step(false) as Requests[K]['out'])
    }
    if (name === 'images:rescan') return Promise.resolve({ missing: 1, back: 0, new: ['/data/new/x.jpg', '/data/new/y.jpg'] } as Requests[K]['out'])
    return super.answer(name, input)
  }
}

describe('the Add images store', () => {
  it('sends typed paths and the files\' bytes in one images:add, then the rows, undo and the report follow the step', async () => {
    const fake = new AddBridge(sampleRows())
    await openProject(fake, use)
    const store = useAddImagesStore()
    store.show()
    const file = new File([new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x01])], 'photo.jpg')
    const ok = await store.add({ paths: ['/data/new/x.jpg'], files: [{ name: 'trip/photo.jpg', file }], split: 'val', csv: '', folderLabels: '_' })
    expect(ok).toBe(true)
    expect(fake.callsOf('images:add')).toEqual([
      { split: 'val', paths: ['/data/new/x.jpg'], uploads: [{ name: 'trip/photo.jpg', dataBase64: '/9j/AAE=' }], labelsFromFolders: '_' },
    ])
    expect(store.report).toEqual({
      added: [{ id: 7, rel: '/data/new/x.jpg' }, { id: 8, rel: 'added/trip/photo.jpg' }],
      duplicates: [{ name: 'c/red_dress/a1.jpg', existing: './c/red_dress/a1.jpg' }],
      skipped: [],
      refused: [],
    })
    const images = useImagesStore()
    expect(images.row(8)?.path).toBe('added/trip/photo.jpg')
    const labels = useLabelsStore()
    expect(labels.canUndo).toBe(true)
    expect(labels.lastEdit).toMatchObject({ structure: 'images-add' })

    await labels.undo()
    expect(images.row(7)).toBeUndefined()
    expect(labels.canRedo).toBe(true)
  })

  it('whole folder names as labels and a chosen CSV are sent as such; a refusal is kept to show', async () => {
    const fake = new AddBridge(sampleRows())
    await openProject(fake, use)
    const store = useAddImagesStore()
    await store.add({ paths: ['/data/new'], files: [], split: 'train', csv: 'val.csv', folderLabels: '' })
    expect(fake.callsOf('images:add')).toEqual([{ split: 'train', paths: ['/data/new'], csv: 'val.csv', labelsFromFolders: true }])

    expect(await store.add({ paths: ['/data/new'], files: [], split: 'train', csv: 'x.csv', folderLabels: null })).toBe(false)
    expect(store.error).toEqual({ code: 'BAD_INPUT', message: 'no CSV named "x.csv" in this project (its CSVs: train.csv)' })
    expect(useImagesStore().rows).toHaveLength(7)

    // More bytes than one message carries: refused before anything is sent.
    const big = new File([new Uint8Array(46 * 1024 * 1024)], 'big.jpg')
    expect(await store.add({ paths: [], files: [{ name: 'big.jpg', file: big }], split: 'train', csv: '', folderLabels: null })).toBe(false)
    expect(store.error?.message).toBe('the chosen files add up to 46 MB; one add sends at most 45 MB of files: add them in smaller batches, or type their paths')
    expect(fake.callsOf('images:add')).toHaveLength(2)
  })

  it('rescan opens the dialog with the new files given, ready to add', async () => {
    const fake = new AddBridge(sampleRows())
    await openProject(fake, use)
    const store = useAddImagesStore()
    await store.rescan()
    expect(store.open).toBe(true)
    expect(store.rescanned).toEqual({ missing: 1, back: 0, new: ['/data/new/x.jpg', '/data/new/y.jpg'] })
    expect(store.givenPaths).toEqual(['/data/new/x.jpg', '/data/new/y.jpg'])
  })
})
