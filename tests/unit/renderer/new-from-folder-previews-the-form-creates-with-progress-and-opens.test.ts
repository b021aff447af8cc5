import { createPinia, setActivePinia } from 'pinia'
import { describe, expect, it, vi } from 'vitest'
import type { FolderImportReport, FolderPreview, RequestName, Requests, TagsmithApi } from '../../../src-preload/contract.ts'
import { DEFAULT_FOLDER_FORM, folderRequest } from '../../../src-renderer/lib/folder-request.ts'
import { useFolderImportStore } from '../../../src-renderer/stores/folder-import.ts'
import { useJobsStore } from '../../../src-renderer/stores/jobs.ts'
import { useProjectStore } from '../../../src-renderer/stores/project.ts'
import { FakeBridge, sampleRows } from './fake-bridge.ts'

const bridge = vi.hoisted(() => ({ current: undefined as TagsmithApi | undefined }))
vi.mock('../../../src-renderer/bridge.ts', () => ({ getBridge: () => bridge.current }))

const previewOf = (dir: string, images: number): FolderPreview => ({
  dir,
  images,
  labels: [{ name: 'black', count: images }],
  unlabelled: 0,
  splits: { train: images, val: 0, test: 0 },
  skipped: [],
  skippedCount: 0,
})

/** The fake service with nothing open, whose folder previews and imports the test answers by hand. */
class FolderBridge extends FakeBridge {
  opened = false
  readonly pending: Array<{ name: RequestName; input: unknown; resolve: (value: unknown) => void }> = []
  protected override answer<K extends RequestName>(name: K, input: Requests[K]['in']): Promise<Requests[K]['out']> {
    if (name === 'project:current' && !this.opened) return Promise.resolve(null as Requests[K]['out'])
    if (name === 'project:folderPreview' || name === 'project:importFolder') {
      return new Promise((resolve) => this.pending.push({ name, input, resolve: resolve as (value: unknown) => void }))
    }
    return super.answer(name, input)
  }
}

async function start(): Promise<FolderBridge> {
  const fake = new FolderBridge(sampleRows())
  bridge.current = fake
  setActivePinia(createPinia())
  await useProjectStore().start()
  return fake
}

describe('the New from folder form as a request', () => {
  it('defaults to labels from folder names and a seeded 80/20 split, and says what is missing or wrong', () => {
    expect(folderRequest({ ...DEFAULT_FOLDER_FORM, dir: ' /data/photos ' })).toEqual({
      options: { dir: '/data/photos', labelsFromFolders: true, split: { kind: 'ratio', ratio: [0.8, 0.2, 0], seed: 42 } },
    })
    expect(folderRequest({ ...DEFAULT_FOLDER_FORM, dir: '/d', separator: '_', labelsText: 'a, b,', split: 'folders' })).toEqual({
      options: { dir: '/d', labels: ['a', 'b'], labelsFromFolders: true, separator: '_', split: { kind: 'folders' } },
    })
    expect(folderRequest({ ...DEFAULT_FOLDER_FORM, dir: '/d', labelsFromFolders: false, labelsText: 'cat', split: 'all', allSplit: 'val' })).toEqual({
      options: { dir: '/d', labels: ['cat'], split: { kind: 'all', split: 'val' } },
    })
    expect(folderRequest(DEFAULT_FOLDER_FORM)).toEqual({ problem: 'Type the path of the folder.' })
    expect(folderRequest({ ...DEFAULT_FOLDER_FORM, dir: '/d', labelsFromFolders: false })).toEqual({ problem: 'Name the labels to create, or take them from folder names.' })
    expect(folderRequest({ ...DEFAULT_FOLDER_FORM, dir: '/d', percents: [70, 20, 20] })).toEqual({ problem: 'The split shares add up to 110 %, not 100 %.' })
  })
})

describe('the New from folder dialog store', () => {
  it('previews the folder, dropping an answer that arrives after a newer question', async () => {
    const fake = await start()
    const folder = useFolderImportStore()
    folder.show('/data/a')
    expect(folder.open).toBe(true)
    folder.form = { ...folder.form, dir: '/data/b' }
    const second = folder.refreshPreview()
    const [first, latest] = fake.pending
    latest?.resolve(previewOf('/data/b', 12))
    await second
    first?.resolve(previewOf('/data/a', 3))
    await new Promise((resolve) => setTimeout(resolve, 0)) // every pending continuation has run
    expect(folder.preview?.dir).toBe('/data/b')
    expect(fake.callsOf('project:folderPreview')).toEqual([
      { dir: '/data/a', labelsFromFolders: true, split: { kind: 'ratio', ratio: [0.8, 0.2, 0], seed: 42 } },
      { dir: '/data/b', labelsFromFolders: true, split: { kind: 'ratio', ratio: [0.8, 0.2, 0], seed: 42 } },
    ])
  })

  it('creates with progress and cancel, then opens the project and closes the dialog', async () => {
    const fake = await start()
    const folder = useFolderImportStore()
    const jobs = useJobsStore()
    folder.show('/data/a')
    const created = folder.create(' /data/a/p.tagsmith ')
    expect(folder.creating).toBe(true)
    fake.emit('job:progress', { jobId: 'import-1', kind: 'import', phase: 'hashing images', done: 40, total: 100, rate: 20, etaSeconds: 3 })
    expect(folder.progress).toMatchObject({ jobId: 'import-1', done: 40, total: 100 })
    await folder.cancel()
    expect(fake.callsOf('job:cancel')).toEqual([{ jobId: 'import-1' }])
    expect(jobs.current?.jobId).toBe('import-1')

    const request = fake.pending.find((p) => p.name === 'project:importFolder')
    expect(request?.input).toEqual({ dir: '/data/a', labelsFromFolders: true, split: { kind: 'ratio', ratio: [0.8, 0.2, 0], seed: 42 }, projectFile: '/data/a/p.tagsmith' })
    fake.opened = true
    const report: FolderImportReport = {
      project: '/data/a/p.tagsmith', rows: 3, labels: ['black'], splits: { train: 3, val: 0, test: 0 }, missing: 0, corrupt: 0, outside: 0, flagged: [],
      dir: '/data/a', skipped: [{ path: 'x.txt', reason: 'not an image file (by its name)' }], skippedCount: 1, duplicates: [], duplicateCount: 0,
    }
    request?.resolve({ info: fake.info, report })
    expect(await created).toBe(true)
    expect(useProjectStore().info).toEqual(fake.info)
    expect(useProjectStore().report).toEqual(report)
    expect(folder.open).toBe(false)
    expect(folder.creating).toBe(false)
  })

  it('keeps the dialog open with the error when the import is refused', async () => {
    const fake = await start()
    const folder = useFolderImportStore()
    folder.show('/data/a')
    const created = folder.create('')
    fake.pending.find((p) => p.name === 'project:importFolder')?.resolve(Promise.reject({ code: 'BAD_INPUT', message: 'no images in /data/a' }))
    expect(await created).toBe(false)
    expect(folder.open).toBe(true)
    expect(useProjectStore().error).toEqual({ code: 'BAD_INPUT', message: 'no images in /data/a' })
    expect(useProjectStore().info).toBeNull()
  })
})
