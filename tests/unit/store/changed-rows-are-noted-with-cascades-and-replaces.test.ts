// The change tracker on a project file's connection notes every row a step touches, by primary key: rows
// inserted and updated as they are now, rows deleted (by a foreign key's cascade or an INSERT OR REPLACE
// too) as gone; after stop() nothing is noted and the file holds no trace of it.
import { describe, expect, it } from 'vitest'
import { editLabelSet } from '../../../src-main/core/dataset/label-set.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { trackChanges } from '../../../src-main/core/store/changed-rows.ts'
import { smallProjectFile } from '../../contract/fixture.ts'

describe('changed rows of a project file', () => {
  it('notes inserts, updates, cascaded deletes and replaced rows by key', async () => {
    const { file } = await smallProjectFile()
    const project = Project.open(file)
    try {
      const tracker = trackChanges(project.db, ['labels', 'image_labels', 'edit_groups', 'edit_log', 'settings'])
      expect(tracker.tables()).toEqual([])
      const a = project.findImage('a.jpg')!.id
      project.edits.setLabels([{ imageId: a, label: 'blue', value: 1 }], 'ann')
      editLabelSet(project, { op: 'remove', name: 'blue' }, 'ann')
      project.db.prepare("INSERT INTO settings (key, json) VALUES ('k', '1')").run()
      project.db.prepare("INSERT OR REPLACE INTO settings (key, json) VALUES ('k', '2')").run()

      expect(tracker.tables().sort()).toEqual(['edit_groups', 'edit_log', 'image_labels', 'labels', 'settings'])
      expect(tracker.keyOf('image_labels')).toEqual(['image_id', 'label_id'])
      // The removed label's cells and log line went with it (cascade); the others were renumbered.
      const cells = tracker.changes('image_labels', ['image_id', 'label_id', 'value'])
      expect(cells.present).toEqual([])
      expect(cells.gone).toHaveLength(5)
      expect(cells.gone).toContainEqual([a, 2])
      expect(tracker.changes('edit_log', ['id']).gone).toEqual([[1]])
      expect(tracker.changes('labels', ['id', 'name', 'position'])).toEqual({
        present: [
          [1, 'red', 0],
          [3, 'shirt', 1],
        ],
        gone: [[2]],
      })
      expect(tracker.changes('edit_groups', ['id', 'kind']).present).toEqual([
        [1, 'cells'],
        [2, 'label-remove'],
      ])
      expect(tracker.changes('settings', ['key', 'json'])).toEqual({ present: [['k', '2']], gone: [] })

      tracker.stop()
      editLabelSet(project, { op: 'add', name: 'hat' }, 'ann')
      expect(project.db.prepare("SELECT count(*) FROM sqlite_temp_master WHERE name LIKE 'tagsmith_changed%'").pluck().get()).toBe(0)
      expect(project.db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE 'tagsmith_changed%'").pluck().get()).toBe(0)
    } finally {
      project.close()
    }
  })
})
