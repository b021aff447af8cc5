import { createHash } from 'node:crypto'
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { sniffImage } from '../../../src-main/core/dataset/image-index.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { sampleJpeg, tempDir, writeImages, writeText } from './helpers.ts'

describe('image index during import', () => {
  it('hashes readable files and flags missing, corrupt and out-of-folder paths without dropping rows', async () => {
    const root = tempDir()
    const dir = join(root, 'data')
    writeImages(dir, ['ok.jpg', 'sub/ok2.jpg', 'abs.jpg'])
    writeText(dir, 'empty.jpg', '')
    writeText(dir, 'text.jpg', 'this is a text file, not a picture')
    writeImages(root, ['secret.jpg'])
    const rows = [
      'ok.jpg',
      'sub/../sub/ok2.jpg',
      'gone.jpg',
      'empty.jpg',
      'text.jpg',
      'sub',
      '../secret.jpg',
      join(root, 'secret.jpg'),
      'C:\\data\\x.jpg',
      '\\\\server\\share\\x.jpg',
      join(dir, 'abs.jpg'), // absolute, but inside the folder
    ]
    const csv = writeText(dir, 'train.csv', `image,cat\n${rows.map((r) => `${r},1\n`).join('')}`)
    const { project, report } = await Project.importCsvs({ csvs: [csv] })
    expect(project.images().filter((i) => i.status === 'ok').map((i) => i.path)).toEqual([
      'ok.jpg',
      'sub/../sub/ok2.jpg',
      join(dir, 'abs.jpg'),
    ])
    project.close()
    expect(report.rows).toBe(rows.length)
    const byPath = Object.fromEntries(report.flagged.map((f) => [f.path, [f.status, f.reason]]))
    expect(byPath).toEqual({
      'gone.jpg': ['missing', 'file not found'],
      'empty.jpg': ['corrupt', 'empty file'],
      'text.jpg': ['corrupt', 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image'],
      sub: ['corrupt', 'is a folder, not a file'],
      '../secret.jpg': ['outside', 'path leaves the images folder (..)'],
      [join(root, 'secret.jpg')]: ['outside', 'absolute path outside the images folder'],
      'C:\\data\\x.jpg': ['outside', 'Windows drive or network path'],
      '\\\\server\\share\\x.jpg': ['outside', 'Windows drive or network path'],
    })
    expect([report.missing, report.corrupt, report.outside]).toEqual([1, 3, 4])
  }, 30_000)

  it('refuses an absolute path that names the same file as a relative one', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg'])
    const csv = writeText(dir, 'train.csv', `image,cat\na.jpg,1\n${join(dir, 'a.jpg')},0\n`)
    await expect(Project.importCsvs({ csvs: [csv] })).rejects.toThrow(/line 3, column 1 \(image\): duplicate image path/)
  })

  it('stores sha256 and size of the content, and never reads out-of-folder files', async () => {
    const root = tempDir()
    const dir = join(root, 'data')
    writeImages(dir, ['a.jpg'])
    const csv = writeText(dir, 'train.csv', 'image,cat\na.jpg,1\n../a.jpg,0\n')
    writeImages(root, ['a.jpg'])
    const { project } = await Project.importCsvs({ csvs: [csv] })
    const [inside, outside] = project.images()
    const jpeg = sampleJpeg()
    expect(inside?.hash).toBe(createHash('sha256').update(jpeg).digest('hex'))
    expect(inside?.bytes).toBe(jpeg.length)
    expect(outside).toMatchObject({ status: 'outside', hash: null, bytes: null })
    expect(project.imagePath(outside?.id ?? 0)).toBeNull()
    project.close()
  })

  it('follows symlinks the user made inside the folder, even to files elsewhere', async () => {
    const root = tempDir()
    const dir = join(root, 'data')
    writeImages(root, ['elsewhere/real.jpg'])
    writeText(dir, 'train.csv', 'image,cat\nlinked/real.jpg,1\nfile-link.jpg,0\n')
    symlinkSync(join(root, 'elsewhere'), join(dir, 'linked'), 'dir')
    symlinkSync(join(root, 'elsewhere', 'real.jpg'), join(dir, 'file-link.jpg'))
    const { project, report } = await Project.importCsvs({ csvs: [join(dir, 'train.csv')] })
    expect(report.flagged).toEqual([])
    expect(project.images().map((i) => i.status)).toEqual(['ok', 'ok'])
    expect(project.imagePath(1)).toBe(join(dir, 'linked', 'real.jpg'))
    project.close()
  })

  it('resolves paths against --images when given', async () => {
    const root = tempDir()
    writeImages(join(root, 'pictures'), ['a.jpg'])
    const csv = writeText(join(root, 'lists'), 'train.csv', 'image,cat\na.jpg,1\n')
    const { project, report } = await Project.importCsvs({ csvs: [csv], imagesDir: join(root, 'pictures') })
    expect(report.flagged).toEqual([])
    expect(project.imagesDir).toBe(join(root, 'pictures'))
    expect(project.file).toBe(join(root, 'lists', 'dataset.tagsmith'))
    project.close()
  })

  it('reports progress up to the total', async () => {
    const dir = tempDir()
    const paths = Array.from({ length: 30 }, (_, i) => `p${i}.jpg`)
    writeImages(dir, paths)
    const csv = writeText(dir, 'train.csv', `image,cat\n${paths.map((p) => `${p},0\n`).join('')}`)
    const seen: Array<{ done: number; total: number }> = []
    const { project } = await Project.importCsvs({ csvs: [csv], onProgress: (p) => seen.push(p) })
    project.close()
    expect(seen.at(-1)).toEqual({ done: 30, total: 30 })
    expect(seen.every((p, i) => i === 0 || p.done >= (seen[i - 1]?.done ?? 0))).toBe(true)
  })
})

describe('sniffImage', () => {
  it('recognises real JPEG, PNG, WebP, GIF, TIFF and AVIF files made by sharp', async () => {
    const base = sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 200, g: 10, b: 10 } } })
    const formats = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif'] as const
    for (const format of formats) {
      const bytes = await base.clone().toFormat(format).toBuffer()
      expect(sniffImage(bytes)).toBe(format)
    }
    expect(sniffImage(Buffer.alloc(0))).toBeNull()
    expect(sniffImage(Buffer.from('BM this is a bitmap header'))).toBeNull()
  })
})
