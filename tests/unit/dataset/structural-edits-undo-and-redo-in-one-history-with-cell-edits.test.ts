import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { openDatabase, type Database } from '../../../src-main/core/db/open.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { registerStructuralKind } from '../../../src-main/core/dataset/structural-edits.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

// A kind made for this test: it stores a note in the settings table, undo takes it away, redo puts it back.
const note = (db: Database): string | undefined =>
  db.prepare("SELECT json FROM settings WHERE key = 'test-note'").pluck().get() as string | undefined
registerStructuralKind('test-note', {
  undo: (db) => void db.prepare("DELETE FROM settings WHERE key = 'test-note'").run(),
  redo: (db, detail) => void db.prepare("INSERT INTO settings (key, json) VALUES ('test-note', ?)").run(JSON.stringify(detail)),
})

async function smallProject(): Promise<{ project: Project; db: Database }> {
  const dir = tempDir()
  writeImages(dir, ['a.jpg', 'b.jpg'])
  const csv = writeText(dir, 'train.csv', 'image,cat,dog\na.jpg,1,0\nb.jpg,0,\n')
  const { project } = await Project.importCsvs({ csvs: [csv] })
  return { project, db: project.db }
}

describe('structural edit groups', () => {
  it('undo and redo a group that logged no cell, in order with cell edits', async () => {
    const { project, db } = await smallProject()
    project.edits.setLabels([{ imageId: 2, label: 'dog', value: 1 }])
    const step = project.edits.structural('test-note', () => {
      db.prepare("INSERT INTO settings (key, json) VALUES ('test-note', '\"hello\"')").run()
      return { detail: 'hello' }
    })
    expect(step).toMatchObject({ changes: [], structure: 'test-note' })
    expect(note(db)).toBe('"hello"')

    expect(project.edits.undo()).toMatchObject({ group: step.group, structure: 'test-note', changes: [] })
    expect(note(db)).toBeUndefined()
    expect(project.edits.undoState()).toEqual({ canUndo: true, canRedo: true })
    // The cell edit before it is next.
    expect(project.edits.undo()?.changes).toEqual([{ imageId: 2, label: 'dog', old: null, new: 1 }])
    expect(project.edits.undoState()).toEqual({ canUndo: false, canRedo: true })

    expect(project.edits.redo()?.structure).toBeUndefined()
    expect(project.edits.redo()).toMatchObject({ group: step.group, structure: 'test-note' })
    expect(note(db)).toBe('"hello"')
    expect(project.edits.history().map((g) => g.structure ?? 'cells')).toEqual(['test-note', 'cells'])
    project.close()
  })

  it('log the cells the step set in its own group: undo reverts them before the step, redo after', async () => {
    const { project, db } = await smallProject()
    const step = project.edits.structural('test-note', () => {
      db.prepare("INSERT INTO settings (key, json) VALUES ('test-note', '1')").run()
      return { detail: 1, changes: [{ imageId: 1, label: 'dog', value: 1 }] }
    })
    expect(step.changes).toEqual([{ imageId: 1, label: 'dog', old: 0, new: 1 }])
    expect(project.edits.history()).toHaveLength(1)
    project.edits.undo()
    expect(project.image(1)?.labels).toEqual([1, 0])
    project.edits.redo()
    expect(project.image(1)?.labels).toEqual([1, 1])
    project.close()
  })

  it('write nothing when the step throws, and a new edit ends the redo branch of structural groups too', async () => {
    const { project, db } = await smallProject()
    expect(() =>
      project.edits.structural('test-note', () => {
        db.prepare("INSERT INTO settings (key, json) VALUES ('test-note', '2')").run()
        throw new Error('refused')
      }),
    ).toThrow('refused')
    expect(note(db)).toBeUndefined()
    expect(project.edits.undoState()).toEqual({ canUndo: false, canRedo: false })

    project.edits.structural('test-note', () => {
      db.prepare("INSERT INTO settings (key, json) VALUES ('test-note', '3')").run()
      return { detail: 3 }
    })
    project.edits.undo()
    project.edits.setLabels([{ imageId: 1, label: 'cat', value: 0 }])
    expect(project.edits.undoState()).toEqual({ canUndo: true, canRedo: false })
    expect(() => project.edits.structural('no-such-kind', () => ({ detail: null }))).toThrow(/no-such-kind/)
    project.close()
  })

  it('migration 0070 marks groups undone as their cell rows were', async () => {
    const file = join(tempDir(), 'p.tagsmith')
    const old = openDatabase(file, { migrations: loadMigrations().filter((m) => m.version <= 60) })
    old.exec(`INSERT INTO sources VALUES (1, 0, 't.csv', '/x/t.csv', '/x', 0, ',', 'LF', 'image,a\n', '', 2, NULL, 0, '[1]', '/', '{}', '', '')`)
    old.exec(`INSERT INTO labels VALUES (1, 'a', 0)`)
    old.exec(`INSERT INTO images VALUES (1, 1, 0, 2, NULL, 'i.jpg', 'i.jpg', 'train', 'ok', NULL, NULL, NULL, 'i.jpg,0\n')`)
    old.exec(`INSERT INTO image_labels VALUES (1, 1, 1, 0, 6, 7)`)
    old.exec(`INSERT INTO edit_groups (id, at) VALUES (1, 't'), (2, 't')`)
    old.exec(`INSERT INTO edit_log (group_id, image_id, label_id, old, new, at, undone) VALUES (1, 1, 1, 0, 1, 't', 0), (2, 1, 1, 1, 0, 't', 1)`)
    old.close()
    const db = openDatabase(file)
    expect(db.prepare('SELECT id, kind, undone FROM edit_groups ORDER BY id').all()).toEqual([
      { id: 1, kind: 'cells', undone: 0 },
      { id: 2, kind: 'cells', undone: 1 },
    ])
    db.close()
  })
})
