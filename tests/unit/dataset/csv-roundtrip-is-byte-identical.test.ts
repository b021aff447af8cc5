import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { copyApparel, tempDir, writeImages, writeText } from './helpers.ts'
import { LAYOUTS } from './layouts.ts'

describe('an unedited project exports byte-identical CSVs', () => {
  it('for the apparel fixture (train.csv + val.csv)', async () => {
    const dir = copyApparel()
    const csvs = [join(dir, 'train.csv'), join(dir, 'val.csv')]
    const { project } = await Project.importCsvs({ csvs })
    const written = project.exportCsvs(join(dir, 'out'))
    project.close()
    expect(written).toEqual([join(dir, 'out', 'train.csv'), join(dir, 'out', 'val.csv')])
    for (const name of ['train.csv', 'val.csv']) {
      expect(readFileSync(join(dir, 'out', name)).equals(readFileSync(join(dir, name)))).toBe(true)
    }
  })

  it('over the originals, after reopening the project', async () => {
    const dir = copyApparel()
    const before = readFileSync(join(dir, 'train.csv'))
    const { project } = await Project.importCsvs({ csvs: [join(dir, 'train.csv')] })
    project.close()
    const reopened = Project.open(join(dir, 'dataset.tagsmith'))
    expect(reopened.exportCsvs()).toEqual([join(dir, 'train.csv')])
    reopened.close()
    expect(readFileSync(join(dir, 'train.csv')).equals(before)).toBe(true)
  })

  for (const layout of LAYOUTS) {
    it(`for ${layout.name}`, async () => {
      const dir = tempDir()
      writeImages(dir, layout.images)
      const csv = writeText(dir, layout.file, layout.text)
      const { project } = await Project.importCsvs({ csvs: [csv] })
      const out = project.exportCsvAs(layout.file, join(dir, 'copy.csv'))
      project.close()
      expect(readFileSync(out).equals(Buffer.from(layout.text, 'utf8'))).toBe(true)
    })
  }
})
