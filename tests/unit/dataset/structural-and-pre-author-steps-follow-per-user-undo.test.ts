// Per-user undo on a project file, beyond cell edits: a structural step goes back only while it is the
// latest applied step, and steps recorded before authors (author NULL) are anyone's to undo and redo.
import { userInfo } from 'node:os'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { editLabelSet } from '../../../src-main/core/dataset/label-set.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

async function smallProject(): Promise<Project> {
  const dir = tempDir()
  writeImages(dir, ['a.jpg', 'b.jpg'])
  const csv = writeText(dir, 'train.csv', 'image,cat,dog\na.jpg,1,0\nb.jpg,0,1\n')
  return (await Project.importCsvs({ csvs: [csv] })).project
}

describe('per-user undo of structural and pre-author steps', () => {
  it('a structural step is refused while a later step of another user stands, naming them and when', async () => {
    const project = await smallProject()
    try {
      project.edits.author = 'ann'
      const added = editLabelSet(project, { op: 'add', name: 'hat' })
      const later = project.edits.setLabels([{ imageId: 2, label: 'cat', value: 1 }], 'bob')
      expect(() => project.edits.undo('ann')).toThrow(`cannot undo: bob made a step at ${later.at} since this label-add step`)
      expect(project.labels()).toEqual(['cat', 'dog', 'hat'])
      expect(project.edits.undo('bob')).toEqual(later)
      expect(project.edits.undo('ann')).toMatchObject({ group: added.group, structure: 'label-add' })
      expect(project.labels()).toEqual(['cat', 'dog'])
      // Redo too waits for the later steps of others to be gone.
      const again = project.edits.setLabels([{ imageId: 1, label: 'dog', value: 1 }], 'bob')
      expect(() => project.edits.redo('ann')).toThrow(`cannot redo: bob made a step at ${again.at} since this label-add step`)
      project.edits.undo('bob')
      expect(project.edits.redo('ann')?.structure).toBe('label-add')
      expect(project.labels()).toEqual(['cat', 'dog', 'hat'])
    } finally {
      project.close()
    }
  })

  it('steps recorded before authors are undone and redone by anyone, and listed without an author', async () => {
    const project = await smallProject()
    try {
      const old = project.edits.setLabels([{ imageId: 1, label: 'dog', value: 1 }], 'someone')
      project.db.prepare('UPDATE edit_groups SET author = NULL').run()
      const mine = project.edits.setLabels([{ imageId: 2, label: 'dog', value: 0 }], 'ann')
      expect(project.edits.undoState('bob')).toEqual({ canUndo: true, canRedo: false })
      expect(project.edits.undo('bob')?.group).toBe(old.group)
      expect(project.edits.undoState('ann')).toEqual({ canUndo: true, canRedo: true })
      expect(project.edits.entries().map((e) => [e.group, e.author, e.undone])).toEqual([
        [mine.group, 'ann', false],
        [old.group, null, true],
      ])
      expect(project.edits.redo('ann')?.group).toBe(old.group)
      expect(project.image(1)?.labels).toEqual([1, 1])
    } finally {
      project.close()
    }
  })

  it('the default author is the one set on the log, else the OS account', async () => {
    const project = await smallProject()
    try {
      expect(project.edits.author).toBe(userInfo().username)
      project.edits.author = 'cy'
      project.edits.setLabels([{ imageId: 1, label: 'cat', value: 0 }])
      expect(project.edits.entries({ user: 'cy' })).toHaveLength(1)
      expect(project.edits.undo('dee')).toBeNull()
      expect(project.edits.undo()?.group).toBeGreaterThan(0)
    } finally {
      project.close()
    }
  })
})
