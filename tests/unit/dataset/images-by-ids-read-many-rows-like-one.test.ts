import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

describe('imagesByIds', () => {
  it('answers each row as image(id) does, in project order, leaving unknown ids out', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'])
    const train = writeText(dir, 'train.csv', 'image,cat,dog\na.jpg,1,0\nb.jpg,0,\n')
    const val = writeText(dir, 'val.csv', 'image,cat,dog\nc.jpg,0,1\nmissing.jpg,1,1\n')
    const { project } = await Project.importCsvs({ csvs: [train, val] })
    project.edits.setLabels([{ imageId: 2, label: 'dog', value: 1 }])
    project.setSplit([1], 'test')

    const ids = [4, 2, 99, 1, 2]
    const rows = project.imagesByIds(ids)
    expect(rows.map((r) => r.id)).toEqual([1, 2, 4])
    for (const row of rows) expect(row).toEqual(project.image(row.id))
    expect(rows[1]).toMatchObject({ labels: [0, 1], edited: true })
    expect(rows[0]).toMatchObject({ split: 'test', edited: false })
    expect(rows[2]).toMatchObject({ status: 'missing', source: 'val.csv' })
    expect(project.imagesByIds([])).toEqual([])
    expect(project.imagesByIds(project.images().map((r) => r.id))).toEqual(project.images())
    project.close()
  })
})
