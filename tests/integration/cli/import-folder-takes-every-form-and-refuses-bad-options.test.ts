import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { imageFolder } from '../../unit/dataset/folder-helpers.ts'
import { tagsmith, tagsmithInProcess } from './run-cli.ts'

const LAYOUT = ['train/black_dress/a.jpg', 'train/black_dress/b.jpg', 'train/red_shirt/c.jpg', 'val/red_dress/d.jpg', 'test/red_shirt/e.jpg', 'notes.txt']

describe('tagsmith import --folder', () => {
  it('takes labels from folder names with a separator, splits by the top folders, and prints the import JSON', async () => {
    const dir = imageFolder(LAYOUT)
    const run = await tagsmith('import', '--folder', dir, '--labels-from-folders', '_', '--split-from-folders', '--project', join(dir, 'a.tagsmith'), '--json')
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({
      project: join(dir, 'a.tagsmith'),
      rows: 5,
      labels: ['black', 'dress', 'red', 'shirt'],
      splits: { train: 3, val: 1, test: 1 },
      missing: 0,
      corrupt: 0,
      outside: 0,
      dir,
      skippedCount: 1,
      duplicateCount: 0,
    })
  })

  it('takes one label per folder, one split for all, a seeded ratio, and --labels with empty cells', async () => {
    const dir = imageFolder(LAYOUT)
    const whole = await tagsmithInProcess('import', '--folder', dir, '--labels-from-folders', '--split', 'val', '--project', join(dir, 'b.tagsmith'), '--json')
    expect(whole.code).toBe(0)
    expect(JSON.parse(whole.stdout)).toMatchObject({ labels: ['black_dress', 'red_dress', 'red_shirt'], splits: { train: 0, val: 5, test: 0 } })

    const ratio = await tagsmithInProcess('import', `--folder=${dir}`, '--labels', 'x,y', '--split-ratio', '0.6,0.2,0.2', '--seed', '3', '--project', join(dir, 'c.tagsmith'))
    expect(ratio.stderr).toBe('')
    expect(ratio.stdout).toContain(`Imported 5 images from ${dir} into ${join(dir, 'c.tagsmith')}`)
    expect(ratio.stdout).toContain('Labels (2): x, y')
    expect(ratio.stdout).toContain('Splits: train 3, val 1, test 1')
    expect(ratio.stdout).toContain('  notes.txt (not an image file (by its name))')

    const byDefault = await tagsmithInProcess('import', '--folder', dir, '--labels-from-folders=_', '--project', join(dir, 'd.tagsmith'), '--json')
    expect(JSON.parse(byDefault.stdout)).toMatchObject({ labels: ['black', 'dress', 'red', 'shirt'], splits: { train: 4, val: 1, test: 0 } })
  })

  it('refuses bad options naming the option and value, and a folder without images naming it (exit 2)', async () => {
    const dir = imageFolder(['cats/a.jpg'])
    const cases: Array<[string[], string]> = [
      [['--split', 'val', '--split-ratio', '0.5,0.5'], 'choose one of --split, --split-ratio and --split-from-folders (given: --split, --split-ratio)'],
      [['--split', 'holdout', '--labels', 'a'], '--split: bad value "holdout"'],
      [['--split-ratio', '0.7,0.2,0.2', '--labels', 'a'], 'split ratio 0.7,0.2,0.2 adds up to 1.1, not 1'],
      [['--seed=-1', '--labels', 'a'], '--seed: bad value "-1"'],
      [[], 'no labels: give the labels to create, or take them from folder names'],
    ]
    for (const [args, message] of cases) {
      const run = await tagsmithInProcess('import', '--folder', dir, ...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toContain(message)
    }
    const empty = await tagsmithInProcess('import', '--folder', join(dir, 'cats', 'none'), '--labels', 'a')
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain(`folder not found: ${join(dir, 'cats', 'none')}`)
  })
})
