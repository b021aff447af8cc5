import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'
import { LAYOUTS } from './layouts.ts'

describe('CSV layouts', () => {
  for (const layout of LAYOUTS) {
    it(`reads ${layout.name}`, async () => {
      const dir = tempDir()
      writeImages(dir, layout.images)
      const csv = writeText(dir, layout.file, layout.text)
      const { project, report } = await Project.importCsvs({ csvs: [csv] })
      try {
        expect(report.labels).toEqual(layout.labels)
        expect(report.rows).toBe(layout.paths.length)
        expect(report.flagged).toEqual([])
        const images = project.images()
        expect(images.map((i) => i.path)).toEqual(layout.paths)
        expect(images.map((i) => i.labels)).toEqual(layout.values)
        expect(images.every((i) => i.status === 'ok' && i.hash?.length === 64 && i.source === layout.file)).toBe(true)
        expect(project.imagePath(images[0]?.id ?? 0)).toBe(join(dir, layout.images[0] ?? ''))
      } finally {
        project.close()
      }
    })
  }

  it('records the line each row starts on, across quoted line breaks and blank lines', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg', 'b\nc.jpg', 'd.jpg'])
    const csv = writeText(dir, 'train.csv', 'image,x\na.jpg,1\n"b\nc.jpg",0\n\nd.jpg,1\n')
    const { project } = await Project.importCsvs({ csvs: [csv] })
    expect(project.images().map((i) => [i.path, i.line])).toEqual([
      ['a.jpg', 2],
      ['b\nc.jpg', 3],
      ['d.jpg', 6],
    ])
    project.close()
  })

  it('joins files whose label columns come in another order, keeping the first file order', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg', 'b.jpg'])
    const train = writeText(dir, 'train.csv', 'image,cat,dog\na.jpg,1,0\n')
    const val = writeText(dir, 'val.csv', 'dog,image,cat\n1,b.jpg,0\n')
    const { project, report } = await Project.importCsvs({ csvs: [train, val] })
    expect(report.labels).toEqual(['cat', 'dog'])
    expect(project.images().map((i) => [i.path, i.split, i.labels])).toEqual([
      ['a.jpg', 'train', [1, 0]],
      ['b.jpg', 'val', [0, 1]],
    ])
    project.close()
  })

  it('finds an image by the path as written or in normalised form', async () => {
    const dir = tempDir()
    writeImages(dir, ['imgs/a.jpg'])
    const csv = writeText(dir, 'train.csv', 'image,cat\n.\\imgs\\a.jpg,1\n')
    const { project } = await Project.importCsvs({ csvs: [csv] })
    for (const p of ['.\\imgs\\a.jpg', 'imgs/a.jpg', './imgs/a.jpg', 'imgs\\a.jpg']) {
      expect(project.findImage(p)?.path).toBe('.\\imgs\\a.jpg')
    }
    expect(project.findImage('imgs/zzz.jpg')).toBeUndefined()
    project.close()
  })
})
