import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { importFolder, previewFolder } from '../../../src-main/core/dataset/folder-import.ts'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { fixtureJpegs, imageFolder } from '../dataset/folder-helpers.ts'
import { tempDir, writeText } from '../dataset/helpers.ts'

const refused = (code: string, message: RegExp | string): unknown =>
  expect.objectContaining({ code, message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message) })

describe('a folder import given bad files', () => {
  it('skips empty, cut-off and text-as-image files and links out of the folder, listing each with its reason', async () => {
    const dir = imageFolder(['cats/a.jpg', 'cats/b.jpg', 'dogs/c.jpg'])
    const jpeg = readFileSync(join(dir, 'cats/a.jpg'))
    writeText(dir, 'dogs/empty.jpg', '')
    writeText(dir, 'dogs/cut.jpg', jpeg.subarray(0, jpeg.length >> 1))
    writeText(dir, 'dogs/notes.jpg', 'image,cat\nnot really a picture\n')
    writeText(dir, 'readme.txt', 'hello')
    writeText(dir, '.DS_Store', 'hidden')
    const outside = tempDir()
    writeFileSync(join(outside, 'secret.jpg'), jpeg)
    symlinkSync(join(outside, 'secret.jpg'), join(dir, 'cats', 'leak.jpg'))
    symlinkSync(outside, join(dir, 'elsewhere'))
    symlinkSync(join(dir, 'cats', 'b.jpg'), join(dir, 'dogs', 'same-as-b.jpg'))

    const preview = await previewFolder({ dir, labelsFromFolders: true })
    // The preview reads no image: it knows of links and names, not of content.
    expect(preview.images).toBe(7)
    expect(preview.skippedCount).toBe(3)

    const { file, report } = await importFolder({ dir, labelsFromFolders: true })
    expect(report.skipped).toEqual([
      { path: 'cats/leak.jpg', reason: `link leaves the folder (to ${join(outside, 'secret.jpg')}); not followed` },
      { path: 'dogs/cut.jpg', reason: 'truncated: the JPEG file ends before its end-of-image marker' },
      { path: 'dogs/empty.jpg', reason: 'empty file' },
      { path: 'dogs/notes.jpg', reason: 'not a JPEG, PNG, WebP, GIF, TIFF or AVIF image' },
      { path: 'elsewhere', reason: `link leaves the folder (to ${outside}); not followed` },
      { path: 'readme.txt', reason: 'not an image file (by its name)' },
    ])
    // A link inside the folder is followed: its row has the same content as the file, and both are kept.
    expect(report).toMatchObject({ rows: 4, corrupt: 0, missing: 0, skippedCount: 6, duplicateCount: 1 })
    expect(report.duplicates).toEqual([['cats/b.jpg', 'dogs/same-as-b.jpg']])
    const project = Project.open(file)
    expect(project.images().map((r) => r.path)).toEqual(expect.arrayContaining(['cats/a.jpg', 'cats/b.jpg', 'dogs/c.jpg', 'dogs/same-as-b.jpg']))
    project.close()
  })
})

describe('a folder import refused by name, leaving what is stored as it was', () => {
  it('refuses a folder with no images, a missing folder and a file, naming them', async () => {
    const dir = tempDir()
    writeText(dir, 'notes.txt', 'no pictures here')
    await expect(importFolder({ dir, labels: ['cat'] })).rejects.toEqual(refused('BAD_INPUT', `no readable images in ${dir}: 1 file skipped (notes.txt: not an image file (by its name))`))
    await expect(importFolder({ dir: tempDir(), labels: ['cat'] })).rejects.toEqual(refused('BAD_INPUT', /^no images in .*looked for jpg, jpeg, png, webp, gif, tif, tiff, avif/))
    await expect(importFolder({ dir: join(dir, 'nope'), labels: ['cat'] })).rejects.toEqual(refused('BAD_INPUT', `folder not found: ${join(dir, 'nope')}`))
    await expect(importFolder({ dir: join(dir, 'notes.txt'), labels: ['cat'] })).rejects.toEqual(refused('BAD_INPUT', `not a folder: ${join(dir, 'notes.txt')}`))
    expect(existsSync(join(dir, 'dataset.tagsmith'))).toBe(false)
  })

  it('refuses a folder whose images are all unreadable, listing the first reasons', async () => {
    const dir = tempDir()
    writeText(dir, 'a/empty.jpg', '')
    writeText(dir, 'a/text.png', 'just text, long enough to sniff')
    await expect(importFolder({ dir, labelsFromFolders: true })).rejects.toEqual(
      refused('BAD_INPUT', 'no readable images in'),
    )
    await expect(importFolder({ dir, labelsFromFolders: true })).rejects.toEqual(refused('BAD_INPUT', 'a/empty.jpg: empty file; a/text.png: not a JPEG'))
  })

  it('refuses bad labels and options before reading any image, and keeps an existing project as it was', async () => {
    const dir = imageFolder(['cats/a.jpg', 'image/b.jpg'])
    const projectFile = join(dir, 'kept.tagsmith')
    await importFolder({ dir, labels: ['cat'], projectFile })
    const before = readFileSync(projectFile)
    const cases: Array<[Parameters<typeof importFolder>[0], unknown]> = [
      [{ dir, labelsFromFolders: true }, refused('BAD_INPUT', 'folder "image" (of image/b.jpg): a label may not be named "image", the name of the image column')],
      [{ dir }, refused('BAD_INPUT', 'no labels: give the labels to create, or take them from folder names')],
      [{ dir, labels: ['a', 'a'] }, refused('BAD_INPUT', 'given labels: "a" is given twice')],
      [{ dir, labels: ['a'], separator: '_' }, refused('BAD_INPUT', 'a separator splits folder names into labels')],
      [{ dir, labels: ['a'], split: { kind: 'ratio', ratio: [0.7, 0.2, 0.2] } }, refused('BAD_INPUT', 'split ratio 0.7,0.2,0.2 adds up to 1.1, not 1')],
    ]
    for (const [options, error] of cases) {
      await expect(importFolder({ ...options, projectFile, replace: true })).rejects.toEqual(error)
      expect(readFileSync(projectFile).equals(before)).toBe(true)
    }
    await expect(importFolder({ dir, labels: ['cat'], projectFile })).rejects.toEqual(refused('CONFLICT', `project file ${projectFile} already exists`))
  })

  it('stops when cancelled, reporting the count found and read so far, and writes no project file', async () => {
    const dir = imageFolder(fixtureJpegs(60).map((_, i) => `f${i % 3}/${i}.jpg`))
    const abort = new AbortController()
    const phases: string[] = []
    const run = importFolder({
      dir,
      labelsFromFolders: true,
      signal: abort.signal,
      onProgress: (p) => {
        phases.push(p.phase)
        if (p.phase === 'hashing images' && p.done > 0) abort.abort()
      },
    })
    await expect(run).rejects.toEqual(refused('CANCELLED', 'import cancelled'))
    expect(phases[0]).toBe('finding images')
    expect(phases).toContain('hashing images')
    expect(existsSync(join(dir, 'dataset.tagsmith'))).toBe(false)
  })
})
