import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addImages } from '../../../src-main/core/dataset/add-images.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { writeDistinctImages } from './add-helpers.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'
import { LAYOUTS } from './layouts.ts'

/** The two records each layout gets for imgs/new/x.jpg and imgs/new/y.jpg with cat set, in its own style. */
const ADDED: Record<string, string> = {
  'pandas index, ./ and /, 0/1, LF': '3,./imgs/new/x.jpg,1,\n4,./imgs/new/y.jpg,1,\n',
  'no index, bare paths, 0.0/1.0, CRLF': 'imgs/new/x.jpg,1.0,\r\nimgs/new/y.jpg,1.0,\r\n',
  'backslashes, true/false, BOM': 'imgs\\new\\x.jpg,true,\nimgs\\new\\y.jpg,true,\n',
  // The file ends without a line break: each new record brings one before it, and the file still ends without.
  '.\\ paths, True/False, every field quoted, CRLF, no final newline':
    '\r\n"3",".\\imgs\\new\\x.jpg","True",""\r\n"4",".\\imgs\\new\\y.jpg","True",""',
  're-saved pandas index "Unnamed: 0", image column last, quoted label name with a comma': '10,1,,imgs/new/x.jpg\n11,1,,imgs/new/y.jpg\n',
  'paths with commas and quotes, empty cells, blank lines at the end': 'imgs/new/x.jpg,1,\nimgs/new/y.jpg,1,\n',
  'tab separated, CR line endings': 'imgs/new/x.jpg\t1\t\rimgs/new/y.jpg\t1\t\r',
}

/** Blank lines after the last record stay last. */
const TAIL: Record<string, string> = { 'paths with commas and quotes, empty cells, blank lines at the end': '\n\n' }

describe('adding images, then exporting', () => {
  for (const layout of LAYOUTS) {
    it(`appends the new records in the file's own style and keeps every existing byte: ${layout.name}`, async () => {
      const dir = tempDir()
      writeImages(dir, layout.images)
      writeDistinctImages(dir, ['imgs/new/x.jpg', 'imgs/new/y.jpg'])
      const csv = writeText(dir, layout.file, layout.text)
      const { project } = await Project.importCsvs({ csvs: [csv] })
      const report = await addImages(project, { paths: [join(dir, 'imgs', 'new')], csv: layout.file, cells: { cat: 1 } })
      expect(report.added.map((a) => a.rel)).toEqual(['imgs/new/x.jpg', 'imgs/new/y.jpg'])
      expect(report.added.map((a) => a.id)).toEqual([4, 5])
      const tail = TAIL[layout.name] ?? ''
      const expected = layout.text.slice(0, layout.text.length - tail.length) + (ADDED[layout.name] ?? '?') + tail
      const out = join(dir, 'out.csv')
      project.exportCsvAs(layout.file, out)
      expect(readFileSync(out, 'utf8').replace(/^\uFEFF/, '')).toBe(expected.replace(/^\uFEFF/, ''))
      expect(readFileSync(out).subarray(0, 3).equals(Buffer.from('\uFEFF'))).toBe(layout.text.startsWith('\uFEFF'))

      // The exported file reads back: the new rows, with their labels, and no error.
      const again = await Project.importCsvs({ csvs: [out], projectFile: join(dir, 'again.tagsmith') })
      expect(again.project.images().slice(3).map((r) => [r.path.replace(/\\/g, '/').replace(/^\.\//, ''), r.labels])).toEqual([
        ['imgs/new/x.jpg', [1, null]],
        ['imgs/new/y.jpg', [1, null]],
      ])
      again.project.close()

      // One step: undo takes the rows out (the export is the original again), redo puts them back as they were.
      const rowsAfterAdd = project.imagesByIds([4, 5])
      expect(project.edits.undo()?.structure).toBe('images-add')
      expect(project.images()).toHaveLength(3)
      project.exportCsvAs(layout.file, out)
      expect(readFileSync(out).equals(Buffer.from(layout.text, 'utf8'))).toBe(true)
      expect(project.edits.redo()?.structure).toBe('images-add')
      expect(project.imagesByIds([4, 5])).toEqual(rowsAfterAdd)
      project.exportCsvAs(layout.file, out)
      expect(readFileSync(out, 'utf8').replace(/^\uFEFF/, '')).toBe(expected.replace(/^\uFEFF/, ''))
      project.close()
    })
  }

  it('keeps edits made to added rows after the add through undo and redo of both', async () => {
    const dir = tempDir()
    writeImages(dir, ['imgs/a.jpg'])
    writeDistinctImages(dir, ['imgs/new/x.jpg'])
    const csv = writeText(dir, 'train.csv', ',image,cat,dog\n0,imgs/a.jpg,1,0\n')
    const { project } = await Project.importCsvs({ csvs: [csv] })
    const { added } = await addImages(project, { paths: [join(dir, 'imgs/new/x.jpg')], cells: { cat: 0 } })
    const id = added[0]?.id ?? 0
    project.edits.setLabels([{ imageId: id, label: 'dog', value: 1 }])
    const out = join(dir, 'out.csv')
    project.exportCsvAs('train.csv', out)
    const edited = readFileSync(out, 'utf8')
    expect(edited).toBe(',image,cat,dog\n0,imgs/a.jpg,1,0\n1,imgs/new/x.jpg,0,1\n')
    project.edits.undo()
    project.edits.undo()
    expect(project.image(id)).toBeUndefined()
    expect(project.edits.redo()?.changes).toEqual([{ imageId: id, label: 'cat', old: null, new: 0 }])
    expect(project.image(id)?.labels).toEqual([0, null])
    expect(project.edits.redo()?.changes).toEqual([{ imageId: id, label: 'dog', old: null, new: 1 }])
    project.exportCsvAs('train.csv', out)
    expect(readFileSync(out, 'utf8')).toBe(edited)
    project.close()
  })
})
