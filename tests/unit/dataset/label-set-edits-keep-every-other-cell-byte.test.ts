import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { editLabelSet } from '../../../src-main/core/dataset/label-set.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

// CRLF, a pandas index, quoted and backslash paths (one with a comma), 0.0/1.0 values, empty cells, a quoted
// header cell and a quoted value cell: every byte but the label set's own must survive each edit.
const HEADER = ',image,red,"blue",dress\r\n'
const ROWS = ['0,"imgs/a.jpg",1.0,0.0,\r\n', '1,imgs\\b.jpg,0.0,"1.0",1.0\r\n', '2,"imgs/c, d.jpg",,0.0,0.0\r\n']
const ORIGINAL = HEADER + ROWS.join('')

async function project(): Promise<{ project: Project; dir: string }> {
  const dir = tempDir()
  writeImages(dir, ['imgs/a.jpg', 'imgs/b.jpg', 'imgs/c, d.jpg'])
  const csv = writeText(dir, 'train.csv', ORIGINAL)
  const { project } = await Project.importCsvs({ csvs: [csv] })
  return { project, dir }
}

/** The export of the project's one CSV, written to a new folder. */
function exported(p: Project, dir: string, name: string): string {
  p.exportCsvs(join(dir, name))
  return readFileSync(join(dir, name, 'train.csv'), 'utf8')
}

describe('label-set edits write the new header and keep every other cell byte for byte', () => {
  it('add appends a cell in the file style (0 or empty); undo and redo bring the bytes back', async () => {
    const { project: p, dir } = await project()
    editLabelSet(p, { op: 'add', name: 'hat', value: 0 })
    const added = ',image,red,"blue",dress,hat\r\n0,"imgs/a.jpg",1.0,0.0,,0.0\r\n1,imgs\\b.jpg,0.0,"1.0",1.0,0.0\r\n2,"imgs/c, d.jpg",,0.0,0.0,0.0\r\n'
    expect(exported(p, dir, 'a')).toBe(added)
    expect(p.labels()).toEqual(['red', 'blue', 'dress', 'hat'])
    expect(p.image(1)?.labels).toEqual([1, 0, null, 0])

    editLabelSet(p, { op: 'add', name: 'size "L", long', value: null })
    expect(exported(p, dir, 'b').split('\r\n')[0]).toBe(',image,red,"blue",dress,hat,"size ""L"", long"')
    expect(exported(p, dir, 'b').split('\r\n')[1]).toBe('0,"imgs/a.jpg",1.0,0.0,,0.0,')

    // A cell of the added label set later is written in the file's spelling of 1.
    p.edits.setLabels([{ imageId: 2, label: 'hat', value: 1 }])
    expect(exported(p, dir, 'c').split('\r\n')[2]).toBe('1,imgs\\b.jpg,0.0,"1.0",1.0,1.0,')

    p.edits.undo()
    p.edits.undo()
    expect(exported(p, dir, 'd')).toBe(added)
    p.edits.undo()
    expect(exported(p, dir, 'e')).toBe(ORIGINAL)
    expect(p.labels()).toEqual(['red', 'blue', 'dress'])

    p.edits.redo()
    p.edits.redo()
    p.edits.redo()
    expect(exported(p, dir, 'f').split('\r\n')[2]).toBe('1,imgs\\b.jpg,0.0,"1.0",1.0,1.0,')
    expect(p.image(2)?.labels).toEqual([0, 1, 1, 1, null])
    p.close()
  })

  it('rename rewrites the header cell only, quoting a name that needs it; undo writes the original bytes', async () => {
    const { project: p, dir } = await project()
    editLabelSet(p, { op: 'rename', name: 'blue', to: 'navy, dark' })
    expect(exported(p, dir, 'a')).toBe(',image,red,"navy, dark",dress\r\n' + ROWS.join(''))
    editLabelSet(p, { op: 'rename', name: 'red', to: 'Crimson' })
    expect(exported(p, dir, 'b')).toBe(',image,Crimson,"navy, dark",dress\r\n' + ROWS.join(''))
    expect(p.labels()).toEqual(['Crimson', 'navy, dark', 'dress'])
    p.edits.undo()
    p.edits.undo()
    expect(exported(p, dir, 'c')).toBe(ORIGINAL)
    p.edits.redo()
    expect(p.labels()).toEqual(['red', 'navy, dark', 'dress'])
    p.close()
  })

  it('remove cuts the column from the header and every record; undo brings values, edits and bytes back', async () => {
    const { project: p, dir } = await project()
    p.edits.setLabels([{ imageId: 3, label: 'blue', value: 1 }])
    editLabelSet(p, { op: 'remove', name: 'blue' })
    expect(exported(p, dir, 'a')).toBe(',image,red,dress\r\n0,"imgs/a.jpg",1.0,\r\n1,imgs\\b.jpg,0.0,1.0\r\n2,"imgs/c, d.jpg",,0.0\r\n')
    expect(p.image(3)?.labels).toEqual([null, 0])
    expect(p.changesSinceImport().cells).toBe(0)

    p.edits.undo()
    expect(p.labels()).toEqual(['red', 'blue', 'dress'])
    expect(p.image(3)?.labels).toEqual([null, 1, 0])
    expect(exported(p, dir, 'b')).toBe(HEADER + ROWS[0] + ROWS[1] + '2,"imgs/c, d.jpg",,1.0,0.0\r\n')
    // The cell edit made before the removal is undoable again, back to the file's bytes.
    expect(p.edits.undo()?.changes).toEqual([{ imageId: 3, label: 'blue', old: 0, new: 1 }])
    expect(exported(p, dir, 'c')).toBe(ORIGINAL)

    p.edits.redo()
    p.edits.redo()
    expect(p.labels()).toEqual(['red', 'dress'])
    p.edits.undo()
    p.edits.undo()
    expect(exported(p, dir, 'd')).toBe(ORIGINAL)
    p.close()
  })

  it('move reorders the label and its column in the CSV, each cell with its bytes', async () => {
    const { project: p, dir } = await project()
    editLabelSet(p, { op: 'move', name: 'dress', to: 1 })
    expect(p.labels()).toEqual(['dress', 'red', 'blue'])
    expect(p.image(2)?.labels).toEqual([1, 0, 1])
    expect(p.images().map((r) => r.labels)).toEqual([
      [null, 1, 0],
      [1, 0, 1],
      [0, null, 0],
    ])
    expect(exported(p, dir, 'a')).toBe(',image,dress,red,"blue"\r\n0,"imgs/a.jpg",,1.0,0.0\r\n1,imgs\\b.jpg,1.0,0.0,"1.0"\r\n2,"imgs/c, d.jpg",0.0,,0.0\r\n')
    editLabelSet(p, { op: 'move', name: 'red', to: 3 })
    expect(exported(p, dir, 'b').split('\r\n')[0]).toBe(',image,dress,"blue",red')
    p.edits.undo()
    p.edits.undo()
    expect(exported(p, dir, 'c')).toBe(ORIGINAL)
    expect(p.labels()).toEqual(['red', 'blue', 'dress'])
    p.edits.redo()
    expect(p.labels()).toEqual(['dress', 'red', 'blue'])
    p.close()
  })

  it('the edits persist: a project reopened exports the same bytes', async () => {
    const { project: p, dir } = await project()
    editLabelSet(p, { op: 'add', name: 'hat', value: 0 })
    editLabelSet(p, { op: 'move', name: 'hat', to: 1 })
    editLabelSet(p, { op: 'remove', name: 'red' })
    const before = exported(p, dir, 'a')
    expect(before.split('\r\n')[0]).toBe(',image,hat,"blue",dress')
    p.close()
    const again = Project.open(p.file)
    expect(exported(again, dir, 'b')).toBe(before)
    expect(again.labels()).toEqual(['hat', 'blue', 'dress'])
    again.close()
  })
})
