import { readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { writeDistinctImages } from '../../unit/dataset/add-helpers.ts'
import { tempDir, writeText } from '../../unit/dataset/helpers.ts'
import { tagsmith, tagsmithInProcess } from './run-cli.ts'

const TRAIN = ',image,black,dress,shirt\n0,imgs/a.jpg,1,1,0\n'
const VAL = ',image,black,dress,shirt\n0,imgs/b.jpg,0,0,1\n'

/** A CSV project (train.csv and val.csv) with new images waiting in imgs/new. */
async function setUp(): Promise<{ dir: string; file: string }> {
  const dir = tempDir()
  writeDistinctImages(dir, ['imgs/a.jpg', 'imgs/b.jpg'])
  writeDistinctImages(dir, ['imgs/new/black_dress/c.jpg', 'imgs/new/black_shirt/d.jpg', 'imgs/new/e.jpg', 'imgs/new/black/f.jpg'], 10)
  const { project } = await Project.importCsvs({ csvs: [writeText(dir, 'train.csv', TRAIN), writeText(dir, 'val.csv', VAL)] })
  const file = project.file
  project.close()
  return { dir, file }
}

describe('tagsmith add and rescan', () => {
  it('adds a file and a folder, with labels from folder names split by SEP, into the CSV named, as JSON', async () => {
    const { dir, file } = await setUp()
    const run = await tagsmith('add', file, join(dir, 'imgs/new/black_dress'), join(dir, 'imgs/new/black_shirt/d.jpg'), '--labels-from-folders', '_', '--csv', 'val.csv', '--json')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({
      added: [{ id: 3, rel: 'imgs/new/black_dress/c.jpg' }, { id: 4, rel: 'imgs/new/black_shirt/d.jpg' }],
      duplicates: [],
      skipped: [],
      refused: [],
      csv: 'val.csv',
      group: 1,
    })
    expect((await tagsmithInProcess('export', file)).code).toBe(0)
    expect(readFileSync(join(dir, 'train.csv'), 'utf8')).toBe(TRAIN)
    expect(readFileSync(join(dir, 'val.csv'), 'utf8')).toBe(`${VAL}1,imgs/new/black_dress/c.jpg,1,1,0\n2,imgs/new/black_shirt/d.jpg,1,0,1\n`)
  })

  it('takes the whole folder name as a label (--labels-from-folders alone, or =SEP), and --split', async () => {
    const { dir, file } = await setUp()
    const whole = await tagsmithInProcess('add', file, '--labels-from-folders', join(dir, 'imgs/new/black'), '--split', 'val')
    expect(whole.stderr).toBe('')
    expect(whole.stdout).toBe('Added 1 image to val.csv (one step: undo takes them out)\n')
    const split = await tagsmithInProcess('add', file, join(dir, 'imgs/new/black_shirt'), '--labels-from-folders=_', '--json')
    expect(JSON.parse(split.stdout)).toMatchObject({ csv: 'train.csv', added: [{ rel: 'imgs/new/black_shirt/d.jpg' }] })
    const project = Project.open(file)
    expect(['imgs/new/black_shirt/d.jpg', 'imgs/new/black/f.jpg'].map((p) => project.findImage(p)).map((r) => [r?.source, r?.split, r?.labels])).toEqual([
      ['train.csv', 'train', [1, 0, 1]],
      ['val.csv', 'val', [1, 0, 0]],
    ])
    project.close()
  })

  it('lists duplicates, skipped and refused files in words, and exits 2 naming a bad option', async () => {
    const { dir, file } = await setUp()
    writeText(dir, 'imgs/new/text.jpg', 'not an image\n')
    writeFileSync(join(dir, 'imgs/new/copy.jpg'), readFileSync(join(dir, 'imgs/a.jpg')))
    const outside = tempDir()
    writeDistinctImages(outside, ['o.jpg'], 30)
    symlinkSync(join(outside, 'o.jpg'), join(dir, 'imgs/new/out.jpg'))
    const run = await tagsmithInProcess('add', file, join(dir, 'imgs/new/e.jpg'), join(dir, 'imgs/new/text.jpg'), join(dir, 'imgs/new/copy.jpg'), join(dir, 'imgs/new/out.jpg'), join(outside, 'o.jpg'))
    expect(run.code).toBe(0)
    expect(run.stdout).toBe(
      [
        'Added 1 image to train.csv (one step: undo takes them out)',
        'Already in the project (1):',
        '  imgs/new/copy.jpg (same content as imgs/a.jpg)',
        'Skipped (1):',
        '  imgs/new/text.jpg: not a JPEG, PNG, WebP, GIF, TIFF or AVIF image',
        'Refused (2):',
        `  ${join(dir, 'imgs/new/out.jpg')}: link leaves the images folder (to ${join(outside, 'o.jpg')})`,
        `  ${join(outside, 'o.jpg')}: outside the images folder ${dir}`,
        '',
      ].join('\n'),
    )
    const twice = await tagsmithInProcess('add', file, join(dir, 'imgs/new/e.jpg'))
    expect(twice.stdout).toBe('Added 0 images to train.csv\nAlready in the project (1):\n  imgs/new/e.jpg (same content as imgs/new/e.jpg)\n')

    const badSplit = await tagsmithInProcess('add', file, join(dir, 'imgs/new/black'), '--split', 'dev')
    expect(badSplit.code).toBe(2)
    expect(badSplit.stderr).toContain('--split')
    expect(badSplit.stderr).toContain('"dev"')
    const noCsv = await tagsmithInProcess('add', file, join(dir, 'imgs/new/black'), '--split', 'test')
    expect(noCsv.code).toBe(2)
    expect(noCsv.stderr).toBe('tagsmith add: this project has no CSV for the split test (its CSVs: train.csv, val.csv); choose one of them\n')
    const noPath = await tagsmithInProcess('add', file)
    expect(noPath.code).toBe(2)
  })

  it('rescan prints what is gone and what is new, in words and as JSON', async () => {
    const { dir, file } = await setUp()
    const text = await tagsmithInProcess('rescan', file)
    expect(text.stderr).toBe('')
    const fresh = ['imgs/new/black/f.jpg', 'imgs/new/black_dress/c.jpg', 'imgs/new/black_shirt/d.jpg', 'imgs/new/e.jpg'].map((p) => join(dir, p))
    expect(text.stdout).toBe(`0 newly missing, 0 found again\n4 image files not in the project:\n${fresh.map((p) => `  ${p}\n`).join('')}`)
    rmSync(join(dir, 'imgs/a.jpg'))
    const run = await tagsmithInProcess('rescan', file, '--json')
    expect(JSON.parse(run.stdout)).toEqual({ missing: 1, back: 0, new: fresh })
  })
})
