import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

describe('export over the original CSVs', () => {
  it('refuses when a file changed outside Tagsmith, writing none of them, unless forced', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg', 'b.jpg'])
    const train = writeText(dir, 'train.csv', 'image,cat\na.jpg,1\n')
    const val = writeText(dir, 'val.csv', 'image,cat\nb.jpg,0\n')
    const { project } = await Project.importCsvs({ csvs: [train, val] })
    project.edits.setLabels([{ imageId: 1, label: 'cat', value: 0 }])
    project.edits.setLabels([{ imageId: 2, label: 'cat', value: 1 }])

    writeText(dir, 'val.csv', 'image,cat\nb.jpg,0\nc.jpg,1\n') // someone else edited it
    expect(() => project.exportCsvs()).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(val) }))
    expect(readFileSync(train, 'utf8')).toBe('image,cat\na.jpg,1\n')
    expect(() => project.exportCsvAs('val.csv', val)).toThrow(/changed on disk/)

    // Another folder is always fine; forcing overwrites.
    project.exportCsvs(join(dir, 'out'))
    expect(readFileSync(join(dir, 'out', 'val.csv'), 'utf8')).toBe('image,cat\nb.jpg,1\n')
    project.exportCsvs(undefined, { force: true })
    expect(readFileSync(val, 'utf8')).toBe('image,cat\nb.jpg,1\n')
    project.close()
  })

  it('accepts its own earlier export, across reopening', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg'])
    const train = writeText(dir, 'train.csv', 'image,cat\na.jpg,1\n')
    const { project } = await Project.importCsvs({ csvs: [train] })
    project.edits.setLabels([{ imageId: 1, label: 'cat', value: 0 }])
    project.exportCsvs()
    project.close()
    const again = Project.open(join(dir, 'dataset.tagsmith'))
    again.edits.setLabels([{ imageId: 1, label: 'cat', value: 1 }])
    expect(again.exportCsvs()).toEqual([train])
    expect(readFileSync(train, 'utf8')).toBe('image,cat\na.jpg,1\n')
    again.close()
  })
})

describe('export to a place that cannot be written', () => {
  it('fails with BAD_INPUT naming the file and leaves no temp file', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg'])
    const train = writeText(dir, 'train.csv', 'image,cat\na.jpg,1\n')
    const { project } = await Project.importCsvs({ csvs: [train] })
    const blocked = writeText(dir, 'blocked', 'a file where a folder should be')
    expect(() => project.exportCsvAs('train.csv', join(blocked, 'train.csv'))).toThrow(
      expect.objectContaining({ code: 'BAD_INPUT', message: `cannot write ${join(blocked, 'train.csv')} (ENOTDIR)` }),
    )
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
    project.close()
  })
})
