import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFolder, previewFolder } from '../../../src-main/core/dataset/folder-import.ts'
import { stratifiedSplit } from '../../../src-main/core/dataset/folder-split.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { imageFolder } from './folder-helpers.ts'
import { writeText } from './helpers.ts'

/** Each row's path with its labels set to 1, or '?' for a row whose cells are empty. */
function labelsByPath(project: Project): Record<string, string> {
  const names = project.labels()
  return Object.fromEntries(
    project.images().map((r) => [r.path, r.labels.every((v) => v === null) ? '?' : names.filter((_, i) => r.labels[i] === 1).join('+')]),
  )
}

describe('a new project from a folder of images', () => {
  it('takes labels from folder names split at the separator, previews them, and leaves top-level images unknown', async () => {
    const dir = imageFolder(['black_dress/a.jpg', 'blue_shirt/b.jpg', 'black_shirt/c.JPG', 'black_shirt/deep/d.png', 'top.jpg'])
    const options = { dir, labelsFromFolders: true, separator: '_', split: { kind: 'all' as const, split: 'train' as const } }
    const preview = await previewFolder(options)
    expect(preview).toMatchObject({
      images: 5,
      labels: [
        { name: 'black', count: 2 },
        { name: 'blue', count: 1 },
        { name: 'deep', count: 1 },
        { name: 'dress', count: 1 },
        { name: 'shirt', count: 2 },
      ],
      unlabelled: 1,
      splits: { train: 5, val: 0, test: 0 },
    })
    const { file, report } = await importFolder(options)
    // deep/ is d.png's folder: a label of its own, not black_shirt's.
    expect(report).toMatchObject({ rows: 5, labels: ['black', 'blue', 'deep', 'dress', 'shirt'], skippedCount: 0, duplicateCount: 0 })
    const project = Project.open(file)
    expect(labelsByPath(project)).toEqual({
      'black_dress/a.jpg': 'black+dress',
      'black_shirt/c.JPG': 'black+shirt',
      'black_shirt/deep/d.png': 'deep',
      'blue_shirt/b.jpg': 'blue+shirt',
      'top.jpg': '?',
    })
    expect(project.getSetting('folder-root')).toBe(dir)
    project.close()
  })

  it('without a separator a folder is one label; --labels adds columns; without folder labels every cell is empty', async () => {
    const dir = imageFolder(['cats/a.jpg', 'dogs/b.jpg', 'animals/cats/c.jpg'])
    const { file } = await importFolder({ dir, labelsFromFolders: true, labels: ['wild'], projectFile: join(dir, 'one.tagsmith') })
    const project = Project.open(file)
    expect(project.labels()).toEqual(['wild', 'cats', 'dogs'])
    expect(labelsByPath(project)).toEqual({ 'animals/cats/c.jpg': 'cats', 'cats/a.jpg': 'cats', 'dogs/b.jpg': 'dogs' })
    project.close()

    const { file: plain } = await importFolder({ dir, labels: ['red', 'blue'], projectFile: join(dir, 'two.tagsmith'), split: { kind: 'all', split: 'val' } })
    const empty = Project.open(plain)
    expect(labelsByPath(empty)).toEqual({ 'animals/cats/c.jpg': '?', 'cats/a.jpg': '?', 'dogs/b.jpg': '?' })
    expect(empty.exportCsvs(join(dir, 'out'))).toEqual([join(dir, 'out', 'val.csv')])
    expect(readFileSync(join(dir, 'out', 'val.csv'), 'utf8')).toBe(',image,red,blue\n0,animals/cats/c.jpg,,\n1,cats/a.jpg,,\n2,dogs/b.jpg,,\n')
    empty.close()
  })

  it('splits 80/20 by default, stratified by label set and seeded; a ratio and a seed change it', async () => {
    const dir = imageFolder([...Array.from({ length: 10 }, (_, i) => `red/${i}.jpg`), ...Array.from({ length: 5 }, (_, i) => `blue/${i}.jpg`)])
    const preview = await previewFolder({ dir, labelsFromFolders: true })
    expect(preview.splits).toEqual({ train: 12, val: 3, test: 0 })
    const { file } = await importFolder({ dir, labelsFromFolders: true })
    const project = Project.open(file)
    const valOf = (folder: string): number => project.images().filter((r) => r.path.startsWith(folder) && r.split === 'val').length
    expect([valOf('red/'), valOf('blue/')]).toEqual([2, 1])
    project.close()

    const keys = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 'a' : 'b'))
    const split = stratifiedSplit(keys, [0.7, 0.15, 0.15], 7)
    const count = (key: string, s: string): number => keys.filter((k, i) => k === key && split[i] === s).length
    expect([count('a', 'train'), count('a', 'val'), count('a', 'test')]).toEqual([17, 4, 4])
    expect([count('b', 'train'), count('b', 'val'), count('b', 'test')]).toEqual([53, 11, 11])
    expect(stratifiedSplit(keys, [0.7, 0.15, 0.15], 7)).toEqual(split)
    expect(stratifiedSplit(keys, [0.7, 0.15, 0.15], 8)).not.toEqual(split)
  })

  it('takes the split from top-level train/, val/ and test/ folders, listing images outside them', async () => {
    const dir = imageFolder(['train/cats/a.jpg', 'train/dogs/b.jpg', 'val/cats/c.jpg', 'test/dogs/d.jpg', 'extra/cats/e.jpg'])
    const { file, report } = await importFolder({ dir, labelsFromFolders: true, split: { kind: 'folders' } })
    expect(report.splits).toEqual({ train: 2, val: 1, test: 1 })
    expect(report.skipped).toEqual([{ path: 'extra/cats/e.jpg', reason: 'not in a top-level train/, val/ or test/ folder' }])
    const project = Project.open(file)
    expect(project.labels()).toEqual(['cats', 'dogs'])
    expect(project.images().map((r) => [r.source, r.path])).toEqual([
      ['train.csv', 'train/cats/a.jpg'],
      ['train.csv', 'train/dogs/b.jpg'],
      ['val.csv', 'val/cats/c.jpg'],
      ['test.csv', 'test/dogs/d.jpg'],
    ])
    project.close()
  })

  it('exports train.csv and val.csv into the folder, which re-import to the same labels, edits included', async () => {
    const dir = imageFolder(['black_dress/a.jpg', 'black_dress/b.jpg', 'black_dress/c.jpg', 'blue_shirt/d.jpg', 'blue_shirt/e.jpg', 'top.jpg'])
    const { file } = await importFolder({ dir, labelsFromFolders: true, separator: '_' })
    const project = Project.open(file)
    const top = project.findImage('top.jpg')
    project.edits.setLabels([{ imageId: top?.id ?? 0, label: 'shirt', value: 1 }])
    const before = labelsByPath(project)
    const files = project.exportCsvs()
    expect(files).toEqual([join(dir, 'train.csv'), join(dir, 'val.csv')])
    project.close()
    const train = readFileSync(join(dir, 'train.csv'), 'utf8')
    expect(train.split('\n')[0]).toBe(',image,black,blue,dress,shirt')
    expect(train).toMatch(/^0,black_dress\/a\.jpg,1,0,1,0$/m)

    const again = await Project.importCsvs({ csvs: files, projectFile: join(dir, 'again.tagsmith') })
    expect(again.project.labels()).toEqual(['black', 'blue', 'dress', 'shirt'])
    // top.jpg had empty cells and one set: the others stay empty.
    expect(labelsByPath(again.project)).toEqual({ ...before, 'top.jpg': 'shirt' })
    expect(again.project.image(again.project.findImage('top.jpg')?.id ?? 0)?.labels).toEqual([null, null, null, 1])
    again.project.close()
  })

  it('never overwrites a train.csv that was in the folder before, unless forced', async () => {
    const dir = imageFolder(['cats/a.jpg'])
    writeText(dir, 'train.csv', 'my own notes\n')
    const { file, report } = await importFolder({ dir, labelsFromFolders: true, split: { kind: 'all', split: 'train' } })
    expect(report.skipped).toEqual([{ path: 'train.csv', reason: 'not an image file (by its name)' }])
    const project = Project.open(file)
    expect(() => project.exportCsvs()).toThrow(expect.objectContaining({ code: 'CONFLICT', message: expect.stringContaining(join(dir, 'train.csv')) }))
    expect(readFileSync(join(dir, 'train.csv'), 'utf8')).toBe('my own notes\n')
    project.exportCsvs(join(dir, 'elsewhere'))
    expect(existsSync(join(dir, 'elsewhere', 'train.csv'))).toBe(true)
    project.close()
  })
})
