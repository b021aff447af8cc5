import { describe, expect, it } from 'vitest'
import { editLabelSet } from '../../../src-main/core/dataset/label-set.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { copyFileToPostgres } from '../../../src-main/core/store/copy-project.ts'
import { openPostgresStore } from '../../../src-main/core/store/postgres-store.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { smallApparelProject } from './small-project.ts'

describe.skipIf(!pgEnabled())('a team store holding label-set steps', () => {
  it('refuses to undo or redo a structural step, changing nothing, and reads rows in the edited label order', async () => {
    const { file } = await smallApparelProject(3)
    const project = Project.open(file)
    editLabelSet(project, { op: 'add', name: 'scarf', value: 0 }, 'ann')
    editLabelSet(project, { op: 'move', name: 'scarf', to: 1 }, 'ann')
    const cell = project.images()[0]!
    project.edits.setLabels([{ imageId: cell.id, label: 'scarf', value: 1 }], 'bob')
    editLabelSet(project, { op: 'rename', name: 'white', to: 'ivory' }, 'bob')
    const expected = { labels: project.labels(), images: project.images(), stats: project.stats() }
    project.close()
    const url = await freshDatabase()
    await copyFileToPostgres(file, url)
    const store = await openPostgresStore(url)
    try {
      // Ids and positions disagree after the move: rows still come in the label order, as the file engine gives them.
      expect(await store.labels()).toEqual(expected.labels)
      expect(expected.labels.slice(0, 1)).toEqual(['scarf'])
      expect(await store.images()).toEqual(expected.images)
      expect(await store.stats()).toEqual(expected.stats)
      expect(await store.findImage(cell.path)).toEqual(expected.images[0])

      const refusal = /cannot undo: undoing a label-set change or an image add on a team store is not supported yet/
      await expect(store.undo('bob')).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(refusal) })
      const history = await store.history()
      expect(history.map((h) => [h.kind, h.author, h.undone])).toEqual([
        ['label-rename', 'bob', false],
        ['cells', 'bob', false],
        ['label-move', 'ann', false],
        ['label-add', 'ann', false],
      ])
      expect(await store.labels()).toEqual(expected.labels)
      // Ann's latest is the move: refused as well, not skipped for an older step.
      await expect(store.undo('ann')).rejects.toMatchObject({ code: 'CONFLICT' })
      expect((await store.history()).every((h) => !h.undone)).toBe(true)
    } finally {
      await store.close()
    }
  })
})
