import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

describe('stats', () => {
  it('counts positives per label and split and co-occurrence over all splits, after edits', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg'])
    const train = writeText(dir, 'train.csv', 'image,cat,dog,toy\na.jpg,1,1,0\nb.jpg,1,0,1\nc.jpg,0,,0\n')
    const val = writeText(dir, 'val.csv', 'image,cat,dog,toy\nd.jpg,1,1,1\n')
    const { project } = await Project.importCsvs({ csvs: [train, val] })
    project.edits.setLabels([{ imageId: 3, label: 'toy', value: 1 }])
    const stats = project.stats()
    project.close()
    expect(stats.labels).toEqual(['cat', 'dog', 'toy'])
    expect(stats.perSplit).toEqual({
      train: { images: 3, counts: { cat: 2, dog: 1, toy: 2 } },
      val: { images: 1, counts: { cat: 1, dog: 1, toy: 1 } },
      test: { images: 0, counts: { cat: 0, dog: 0, toy: 0 } },
    })
    expect(stats.cooccurrence).toEqual([
      [3, 2, 2],
      [2, 2, 1],
      [2, 1, 3],
    ])
  })
})
