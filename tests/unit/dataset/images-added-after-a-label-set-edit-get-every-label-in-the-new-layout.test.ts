import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addImages } from '../../../src-main/core/dataset/add-images.ts'
import { editLabelSet } from '../../../src-main/core/dataset/label-set.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { writeDistinctImages } from './add-helpers.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

// Records are stored as written, in the columns the file had; export writes them in the layout the label-set
// edits made. A record added after such edits is written the same way, so its cells land in the right columns.
describe('images added after the label set changed', () => {
  it('get a cell for every label, an added one included, and export in the new column order', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg'])
    writeDistinctImages(dir, ['new/x.jpg'])
    const csv = writeText(dir, 'train.csv', ',image,red,blue\r\n0,a.jpg,1.0,0.0\r\n')
    const { project } = await Project.importCsvs({ csvs: [csv] })
    editLabelSet(project, { op: 'add', name: 'hat', value: 0 })
    editLabelSet(project, { op: 'move', name: 'blue', to: 1 })
    editLabelSet(project, { op: 'remove', name: 'red' })
    const report = await addImages(project, { paths: [join(dir, 'new')], cells: { hat: 1, blue: 0 } })
    expect(report.added).toHaveLength(1)
    const id = report.added[0]?.id as number
    expect(project.image(id)?.labels).toEqual([0, 1])
    const out = join(dir, 'out.csv')
    project.exportCsvAs('train.csv', out)
    expect(readFileSync(out, 'utf8')).toBe(',image,blue,hat\r\n0,a.jpg,0.0,0.0\r\n1,new/x.jpg,0.0,1.0\r\n')

    // Undo of the add, then of the label-set steps: the file as read again.
    for (let i = 0; i < 4; i++) project.edits.undo()
    project.exportCsvAs('train.csv', out)
    expect(readFileSync(out, 'utf8')).toBe(',image,red,blue\r\n0,a.jpg,1.0,0.0\r\n')
    project.close()
  })
})
