import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { copyApparel, tempDir, writeImages, writeText } from './helpers.ts'
import { LAYOUTS } from './layouts.ts'

describe('export after edits', () => {
  for (const layout of LAYOUTS) {
    it(`rewrites only the edited cell, in the file's style, for ${layout.name}`, async () => {
      const dir = tempDir()
      writeImages(dir, layout.images)
      const csv = writeText(dir, layout.file, layout.text)
      const { project } = await Project.importCsvs({ csvs: [csv] })
      const first = project.images()[0]
      if (!first) throw new Error('no rows')
      const label = layout.labels[0] ?? ''
      project.edits.setLabels([{ imageId: first.id, label, value: first.labels[0] === 1 ? 0 : 1 }])
      const out = project.exportCsvAs(layout.file, join(dir, 'edited.csv'))
      const edited = readFileSync(out, 'utf8')
      const originalRow0 = rowText(layout.text)
      expect(edited).toBe(layout.text.replace(originalRow0, layout.editedRow0))
      expect(edited).not.toBe(layout.text)

      // Undo brings the original bytes back.
      project.edits.undo()
      project.exportCsvAs(layout.file, out)
      expect(readFileSync(out).equals(Buffer.from(layout.text, 'utf8'))).toBe(true)
      project.close()
    })
  }

  it('on the fixture, changes exactly the edited cells and nothing else, and leaves no temp files', async () => {
    const dir = copyApparel()
    const original = readFileSync(join(dir, 'train.csv'), 'utf8')
    const originalVal = readFileSync(join(dir, 'val.csv'))
    const { project } = await Project.importCsvs({ csvs: [join(dir, 'train.csv'), join(dir, 'val.csv')] })
    const images = project.images()
    const targets = [images[0], images[500], images[933]]
    const changes = targets.flatMap((img) =>
      img ? [{ imageId: img.id, label: 'white', value: img.labels[5] === 1 ? (0 as const) : (1 as const) }] : [],
    )
    project.edits.setLabels(changes)
    project.exportCsvs()
    project.close()
    const after = readFileSync(join(dir, 'train.csv'), 'utf8').split('\n')
    const before = original.split('\n')
    expect(after.length).toBe(before.length)
    const differing = before.flatMap((line, i) => (line === after[i] ? [] : [i]))
    expect(differing).toEqual([1, 501, 934])
    for (const i of differing) {
      const a = (before[i] ?? '').split(',')
      const b = (after[i] ?? '').split(',')
      const cells = a.flatMap((cell, c) => (cell === b[c] ? [] : [c]))
      expect(cells).toEqual([7]) // index, image, then white is the 6th label
    }
    expect(readFileSync(join(dir, 'val.csv')).equals(originalVal)).toBe(true)
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})

/** The first record after the header, with its terminator. */
function rowText(text: string): string {
  const lines = text.replace(/^\uFEFF/, '').split(/(?<=\r\n|\n|\r(?!\n))/)
  return lines[1] ?? ''
}
