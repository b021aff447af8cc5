// Structural steps on a team store run the file engine's code on a copy and store what changed: the same
// sequence of label-set steps, cell edits and undos leaves the database as it leaves a project file; each
// step tells other servers with a notice naming its kind; while a step runs, reads go on and writes wait;
// a step that fails leaves the database as it was.
import { readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addImages } from '../../../src-main/core/dataset/add-images.ts'
import { editLabelSet } from '../../../src-main/core/dataset/label-set.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import type { StoreChange } from '../../../src-main/core/store/pg-changes.ts'
import { openPostgresStore } from '../../../src-main/core/store/postgres-store.ts'
import { SqliteStore } from '../../../src-main/core/store/sqlite-store.ts'
import type { ProjectStore } from '../../../src-main/core/store/project-store.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { tempDir } from '../../unit/dataset/helpers.ts'
import { smallApparelProject } from './small-project.ts'

/** What a store shows of the project, for comparing two engines. */
async function shown(store: ProjectStore): Promise<unknown> {
  const history = (await store.history()).map(({ at: _at, ...h }) => h)
  return { labels: await store.labels(), images: await store.images(), stats: await store.stats(), history }
}

/** Label-set steps, a cell edit by another user, and undos, the same on either engine. */
async function steps(store: ProjectStore, imageId: number): Promise<void> {
  await store.editLabelSet({ op: 'remove', name: 'black' }, 'ann')
  await store.editLabelSet({ op: 'move', name: 'shirt', to: 1 }, 'ann')
  await store.setLabels([{ imageId, label: 'shirt', value: 1 }], 'bob')
  await expect(store.undo('ann')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/^cannot undo: bob made a step at .* since this label-move step$/) })
  await store.editLabelSet({ op: 'rename', name: 'white', to: 'ivory' }, 'bob')
  await store.undo('bob')
  await store.undo('bob')
  await store.undo('ann')
  await store.undo('ann')
  await store.redo('ann')
}

describe.skipIf(!pgEnabled())('structural steps on a team store', () => {
  it('leave the database as the same steps leave a project file, and each sends a notice naming its kind', async () => {
    const { dir, file } = await smallApparelProject(3)
    const project = Project.open(file)
    editLabelSet(project, { op: 'add', name: 'scarf', value: 0 }, 'ann')
    project.close()
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    const store = await openPostgresStore(url)
    const other = await openPostgresStore(url)
    const heard: StoreChange[] = []
    const watch = await other.watch({ change: (c) => heard.push(c), resync: () => {} })
    const local = new SqliteStore(Project.open(file))
    try {
      const imageId = (await store.images())[0]!.id
      await steps(store, imageId)
      await steps(local, imageId)
      expect(await shown(store)).toEqual(await shown(local))
      // Ids stay in step: a new label and a new step get the same ids on both.
      const [pgAdd, fileAdd] = [await store.editLabelSet({ op: 'add', name: 'hat' }, 'cy'), await local.editLabelSet({ op: 'add', name: 'hat' }, 'cy')]
      expect(pgAdd.group).toBe(fileAdd.group)
      await store.setLabels([{ imageId, label: 'hat', value: 1 }], 'cy')
      await local.setLabels([{ imageId, label: 'hat', value: 1 }], 'cy')
      expect(await shown(store)).toEqual(await shown(local))
      // Two images of the fixture's folder the imported rows leave out, added, undone and redone.
      const paths = ['a8c72f6c0e793f50cce0c404c7ec473454c9a0f3.jpg', '9f399536867a671a494af44a16c01cd935e494df.jpg'].map((f) => join(dir, 'clothes_dataset', 'black_shirt', f))
      const add = { paths, labelsFromFolders: '_', author: 'cy' }
      const added = await store.structuralStep((p) => addImages(p, add), 'images-add')
      expect(added.added).toHaveLength(2)
      const alike = await addImages(local.project, add)
      expect({ ...added, group: { ...added.group, at: '' } }).toEqual({ ...alike, group: { ...alike.group, at: '' } })
      await store.undo('cy')
      await local.undo('cy')
      expect(await shown(store)).toEqual(await shown(local))
      await store.redo('cy')
      await local.redo('cy')
      expect(await shown(store)).toEqual(await shown(local))
      expect((await store.images()).length).toBe(8)
      // The sources' layouts and the added rows' records too: both export the same bytes.
      const [pgOut, fileOut] = [tempDir(), tempDir()]
      const written = await store.exportCsvs(pgOut)
      await local.exportCsvs(fileOut)
      expect(written.map((f) => readFileSync(f, 'utf8'))).toEqual(written.map((f) => readFileSync(join(fileOut, basename(f)), 'utf8')))
      expect(readFileSync(written[0]!, 'utf8').split('\n')[0]).toBe(',image,blue,brown,green,red,white,dress,shirt,pants,shorts,shoes,scarf,hat')

      await expect.poll(() => heard.filter((c) => c.structure !== undefined).length).toBe(11)
      expect(heard.filter((c) => c.structure !== undefined).map((c) => c.structure)).toEqual([
        'label-remove', 'label-move', 'label-rename', 'label-rename', 'label-move', 'label-remove', 'label-remove', 'label-add',
        'images-add', 'images-add', 'images-add',
      ])
      expect(heard.find((c) => c.structure !== undefined)).toEqual({ origin: store.instance, all: true, structure: 'label-remove' })
    } finally {
      await watch.close()
      await Promise.all([store.close(), other.close(), local.close()])
    }
  })

  it('lets reads go on while a step runs and makes a label edit wait for its commit; both are kept', async () => {
    const { file } = await smallApparelProject(2)
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    const [store, other] = [await openPostgresStore(url), await openPostgresStore(url)]
    try {
      const imageId = (await other.images())[0]!.id
      let release = (): void => {}
      const held = new Promise<void>((done) => (release = done))
      let entered = (): void => {}
      const inside = new Promise<void>((done) => (entered = done))
      const step = store.structuralStep(async (project) => {
        const group = editLabelSet(project, { op: 'add', name: 'scarf' }, 'ann')
        entered()
        await held
        return group
      }, 'label-add')
      await inside
      expect(await other.labels()).not.toContain('scarf')
      let edited = false
      const edit = other.setLabels([{ imageId, label: 'black', value: 1 }], 'bob').then((group) => {
        edited = true
        return group
      })
      await new Promise((done) => setTimeout(done, 300))
      expect(edited).toBe(false)
      release()
      const [added, cells] = await Promise.all([step, edit])
      expect(cells.group).toBeGreaterThan(added.group)
      expect(await other.labels()).toContain('scarf')
      expect((await other.findImage((await other.images())[0]!.path))?.labels.slice(0, 1)).toEqual([1])
      expect((await other.history()).map((h) => [h.kind, h.author])).toEqual([
        ['cells', 'bob'],
        ['label-add', 'ann'],
      ])
    } finally {
      await Promise.all([store.close(), other.close()])
    }
  })

  it('rolls back a step that fails after changing the copy: rows, log and id sequences as before', async () => {
    const { file } = await smallApparelProject(2)
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    const store = await openPostgresStore(url)
    try {
      const before = await shown(store)
      await expect(
        store.structuralStep((project) => {
          editLabelSet(project, { op: 'add', name: 'scarf' }, 'ann')
          editLabelSet(project, { op: 'remove', name: 'blue' }, 'ann')
          throw new Error('the disk filled up')
        }, 'label-add'),
      ).rejects.toThrow('the disk filled up')
      expect(await shown(store)).toEqual(before)
      // Nothing was written back, so a later step takes the ids the failed one would have.
      const group = await store.setLabels([{ imageId: (await store.images())[0]!.id, label: 'blue', value: 1 }], 'bob')
      expect(group.group).toBe(1)
      // A step that changes nothing writes and tells nothing.
      expect(await store.structuralStep((project) => project.labels().length, 'rescan')).toBe(11)
      expect(await store.history()).toHaveLength(1)
    } finally {
      await store.close()
    }
  })
})
