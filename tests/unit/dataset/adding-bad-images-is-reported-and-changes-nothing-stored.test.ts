import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addImages } from '../../../src-main/core/dataset/add-images.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { writeDistinctImages } from './add-helpers.ts'
import { tempDir, writeText } from './helpers.ts'

const CSV = ',image,cat,dog\n0,imgs/a.jpg,1,0\n1,imgs/b.jpg,0,1\n'

async function project(): Promise<{ dir: string; project: Project }> {
  const dir = tempDir()
  writeDistinctImages(dir, ['imgs/a.jpg', 'imgs/b.jpg'])
  const csv = writeText(dir, 'train.csv', CSV)
  return { dir, project: (await Project.importCsvs({ csvs: [csv] })).project }
}

/** Everything a failed or partly refused add must leave as it was. */
function stored(p: Project): unknown {
  return { images: p.images(), history: p.edits.history(), undo: p.edits.undoState() }
}

describe('adding images with bad input', () => {
  it('lists each bad file with its reason, skips it, and adds the good ones', async () => {
    const { dir, project: p } = await project()
    const outsideDir = tempDir()
    writeDistinctImages(outsideDir, ['elsewhere.jpg'], 5)
    writeDistinctImages(dir, ['imgs/new/good.jpg', 'imgs/new/good-again.jpg'], 10)
    writeFileSync(join(dir, 'imgs/new/good-again.jpg'), readFileSync(join(dir, 'imgs/new/good.jpg')))
    writeText(dir, 'imgs/new/empty.jpg', '')
    writeText(dir, 'imgs/new/text.jpg', 'this is not an image, only text named .jpg\n')
    const whole = readFileSync(join(dir, 'imgs/a.jpg'))
    writeText(dir, 'imgs/new/cut.jpg', whole.subarray(0, Math.floor(whole.length / 2)))
    writeText(dir, 'imgs/new/copy-of-a.jpg', whole)
    symlinkSync(join(outsideDir, 'elsewhere.jpg'), join(dir, 'imgs/new/link-out.jpg'))
    symlinkSync(outsideDir, join(dir, 'imgs/folder-out'))

    const report = await addImages(p, {
      paths: [join(dir, 'imgs/new'), join(outsideDir, 'elsewhere.jpg'), join(dir, 'imgs/folder-out'), join(dir, 'imgs/a.jpg'), join(dir, 'imgs/none.jpg')],
    })
    expect(report.added.map((a) => a.rel)).toEqual(['imgs/new/good-again.jpg'])
    expect(report.duplicates).toEqual([
      { name: 'imgs/new/copy-of-a.jpg', existing: 'imgs/a.jpg' },
      { name: 'imgs/new/good.jpg', existing: 'imgs/new/good-again.jpg' },
      { name: 'imgs/a.jpg', existing: 'imgs/a.jpg' },
    ])
    const reasons = Object.fromEntries(report.skipped.map((s) => [s.name, s.reason]))
    expect(reasons).toEqual({
      'imgs/new/cut.jpg': 'the JPEG file ends before its end-of-image marker',
      'imgs/new/empty.jpg': 'empty file',
      'imgs/new/text.jpg': 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image',
    })
    const refused = Object.fromEntries(report.refused.map((s) => [s.name, s.reason]))
    expect(refused['imgs/new/link-out.jpg']).toMatch(/^link leaves the images folder \(to .*elsewhere\.jpg\)$/)
    expect(refused[join(outsideDir, 'elsewhere.jpg')]).toMatch(/^outside the images folder /)
    expect(refused[join(dir, 'imgs/folder-out')]).toMatch(/^link leaves the images folder/)
    expect(refused[join(dir, 'imgs/none.jpg')]).toBe('not found')
    expect(p.images()).toHaveLength(3)
    p.close()
  })

  it('adds nothing twice: a second add of the same files reports each as already there', async () => {
    const { dir, project: p } = await project()
    writeDistinctImages(dir, ['imgs/new/x.jpg'], 10)
    expect((await addImages(p, { paths: [join(dir, 'imgs/new/x.jpg')] })).added).toHaveLength(1)
    const before = stored(p)
    const again = await addImages(p, { paths: [join(dir, 'imgs/new')] })
    expect(again.added).toEqual([])
    expect(again.group).toBeNull()
    expect(again.duplicates).toEqual([{ name: 'imgs/new/x.jpg', existing: 'imgs/new/x.jpg' }])
    expect(stored(p)).toEqual(before)
    p.close()
  })

  it('refuses a request it cannot carry out as a whole, naming the value, and stores nothing', async () => {
    const { dir, project: p } = await project()
    writeDistinctImages(dir, ['imgs/new/x.jpg'], 10)
    const before = stored(p)
    const paths = [join(dir, 'imgs/new/x.jpg')]
    await expect(addImages(p, { paths, csv: 'other.csv' })).rejects.toThrow('no CSV named "other.csv" in this project (its CSVs: train.csv)')
    await expect(addImages(p, { paths, split: 'val' })).rejects.toThrow('this project has no CSV for the split val (its CSVs: train.csv)')
    await expect(addImages(p, { paths, cells: { bird: 1 } })).rejects.toThrow('cells: no label named "bird"')
    await expect(addImages(p, { paths: [] })).rejects.toThrow('no image given to add')
    expect(stored(p)).toEqual(before)
    p.close()
  })

  it('writes uploads under added/ with a fresh name, and skips bad uploads without writing them', async () => {
    const { dir, project: p } = await project()
    const jpeg = readFileSync(join(dir, 'imgs/a.jpg'))
    writeDistinctImages(dir, ['added/photo.jpg'], 20)
    const other = readFileSync(join(dir, 'added/photo.jpg'))
    writeDistinctImages(dir, ['added/photo.jpg'], 21)
    const report = await addImages(p, {
      uploads: [
        { name: 'photo.jpg', dataBase64: other.toString('base64') },
        { name: '../../escape/../.hidden.jpg', dataBase64: jpeg.subarray(0, 40).toString('base64') },
        { name: 'same-as-a.jpg', dataBase64: jpeg.toString('base64') },
        { name: 'notes.jpg', dataBase64: Buffer.from('plain text').toString('base64') },
      ],
    })
    expect(report.added.map((a) => a.rel)).toEqual(['added/photo-2.jpg'])
    expect(readFileSync(join(dir, 'added/photo-2.jpg')).equals(other)).toBe(true)
    expect(report.duplicates).toEqual([{ name: 'same-as-a.jpg', existing: 'imgs/a.jpg' }])
    expect(report.skipped.map((s) => s.name)).toEqual(['../../escape/../.hidden.jpg', 'notes.jpg'])
    p.close()
  })
})
