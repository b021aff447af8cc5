import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addImages } from '../../../src-main/core/dataset/add-images.ts'
import { importFolder } from '../../../src-main/core/dataset/folder-import.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { rescanProject } from '../../../src-main/core/dataset/rescan.ts'
import { writeDistinctImages } from './add-helpers.ts'
import { tempDir } from './helpers.ts'

async function folderProject(): Promise<{ dir: string; project: Project }> {
  const dir = tempDir()
  writeDistinctImages(dir, ['black_dress/1.jpg', 'red_shirt/2.jpg', 'red_dress/3.jpg'])
  const { file } = await importFolder({ dir, labelsFromFolders: true, separator: '_', split: { kind: 'all', split: 'train' } })
  return { dir, project: Project.open(file) }
}

describe('a folder project', () => {
  it('gets a new <split>.csv with the same header for a split it had none of; undo takes it away again', async () => {
    const { dir, project } = await folderProject()
    writeDistinctImages(dir, ['black_shirt/4.jpg', 'blue_dress/5.jpg'], 10)
    const report = await addImages(project, { paths: [join(dir, 'black_shirt'), join(dir, 'blue_dress')], split: 'val', labelsFromFolders: '_' })
    expect(report.csv).toBe('val.csv')
    expect(report.added.map((a) => a.rel)).toEqual(['black_shirt/4.jpg', 'blue_dress/5.jpg'])
    // Folder labels: the project's labels a folder names are 1, the others 0; "blue" is no label, so only dress.
    const labels = project.labels()
    const rows = project.imagesByIds(report.added.map((a) => a.id))
    expect(rows.map((r) => [r.source, r.split, labels.filter((_, i) => r.labels[i] === 1)])).toEqual([
      ['val.csv', 'val', ['black', 'shirt']],
      ['val.csv', 'val', ['dress']],
    ])
    project.exportCsvs()
    expect(readFileSync(join(dir, 'train.csv'), 'utf8')).toBe(
      ',image,black,dress,red,shirt\n0,black_dress/1.jpg,1,1,0,0\n1,red_dress/3.jpg,0,1,1,0\n2,red_shirt/2.jpg,0,0,1,1\n',
    )
    // A new file's pandas index starts at 0.
    expect(readFileSync(join(dir, 'val.csv'), 'utf8')).toBe(',image,black,dress,red,shirt\n0,black_shirt/4.jpg,1,0,0,1\n1,blue_dress/5.jpg,0,1,0,0\n')

    const valBytes = readFileSync(join(dir, 'val.csv'))
    expect(project.edits.undo()?.structure).toBe('images-add')
    expect(project.exportCsvs().map((f) => f.slice(dir.length + 1))).toEqual(['train.csv'])
    // The file written before the undo stays; redo and export write over it (it is the one Tagsmith wrote).
    project.edits.redo()
    expect(project.images().filter((r) => r.source === 'val.csv').map((r) => r.id)).toEqual(report.added.map((a) => a.id))
    expect(project.exportCsvs().map((f) => f.slice(dir.length + 1))).toEqual(['train.csv', 'val.csv'])
    expect(readFileSync(join(dir, 'val.csv')).equals(valBytes)).toBe(true)

    // A CSV the add would create that someone else wrote meanwhile is not overwritten.
    project.edits.undo()
    rmSync(join(dir, 'val.csv'))
    const other = await addImages(project, { paths: [join(dir, 'black_shirt')], split: 'test' })
    expect(other.csv).toBe('test.csv')
    writeFileSync(join(dir, 'test.csv'), 'not ours\n')
    expect(() => project.exportCsvs()).toThrow(/test\.csv changed on disk/)
    expect(existsSync(join(dir, 'val.csv'))).toBe(false)
    project.close()
  })

  it('rescan marks files gone as missing, files back as found, and lists image files no row names', async () => {
    const { dir, project } = await folderProject()
    renameSync(join(dir, 'red_shirt/2.jpg'), join(dir, 'moved.jpg'))
    writeDistinctImages(dir, ['new/6.jpg', 'new/7.png'], 10)
    const first = await rescanProject(project)
    expect(first).toEqual({ missing: 1, back: 0, new: [join(dir, 'moved.jpg'), join(dir, 'new/6.jpg'), join(dir, 'new/7.png')] })
    expect(project.findImage('red_shirt/2.jpg')?.status).toBe('missing')
    expect(await rescanProject(project)).toEqual({ ...first, missing: 0 })

    renameSync(join(dir, 'moved.jpg'), join(dir, 'red_shirt/2.jpg'))
    const second = await rescanProject(project)
    expect(second).toEqual({ missing: 0, back: 1, new: [join(dir, 'new/6.jpg'), join(dir, 'new/7.png')] })
    expect(project.findImage('red_shirt/2.jpg')?.status).toBe('ok')
    const added = await addImages(project, { paths: second.new })
    expect(added.added).toHaveLength(2)
    expect((await rescanProject(project)).new).toEqual([])
    project.close()
  })
})
