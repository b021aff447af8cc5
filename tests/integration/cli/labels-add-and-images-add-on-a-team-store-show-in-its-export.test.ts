// The structural commands on a team store (PostgreSQL): a label added with `tagsmith labels --store URL`
// and two images added with `tagsmith add --store URL` are in the database, each one step by its author,
// and the export writes the new column and the new rows; rescan runs there too.
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeDistinctImages } from '../../unit/dataset/add-helpers.ts'
import { tempDir, writeText } from '../../unit/dataset/helpers.ts'
import { freshDatabase, pgEnabled } from '../../support/postgres-cluster.ts'
import { tagsmithInProcess as tagsmith } from './run-cli.ts'

const TRAIN = ',image,black,dress\n0,imgs/a.jpg,1,1\n'
const VAL = ',image,black,dress\n0,imgs/b.jpg,0,0\n'

describe.skipIf(!pgEnabled())('labels, add and rescan on a team store', () => {
  it('adds a label and two images in the database, each one step by its author, and the export shows both', async () => {
    const dir = tempDir()
    writeDistinctImages(dir, ['imgs/a.jpg', 'imgs/b.jpg'])
    writeDistinctImages(dir, ['imgs/new/c.jpg', 'imgs/new/d.jpg'], 10)
    const url = await freshDatabase()
    const imported = await tagsmith('import', writeText(dir, 'train.csv', TRAIN), writeText(dir, 'val.csv', VAL), '--store', url)
    expect(imported.stderr).toBe('')

    const added = await tagsmith('labels', '--store', url, 'add', 'shirt', '--value', '0', '--user', 'ann', '--json')
    expect(added.stderr).toBe('')
    expect(JSON.parse(added.stdout)).toEqual({
      labels: [
        { position: 1, name: 'black', set: 1, empty: 0 },
        { position: 2, name: 'dress', set: 1, empty: 0 },
        { position: 3, name: 'shirt', set: 0, empty: 0 },
      ],
      step: { group: 1, structure: 'label-add' },
    })
    const images = await tagsmith('add', '--store', url, join(dir, 'imgs/new'), '--split', 'val', '--user', 'bob', '--json')
    expect(images.stderr).toBe('')
    expect(JSON.parse(images.stdout)).toMatchObject({ added: [{ id: 3, rel: 'imgs/new/c.jpg' }, { id: 4, rel: 'imgs/new/d.jpg' }], csv: 'val.csv', group: 2 })
    expect(await tagsmith('label', '--store', url, 'imgs/new/d.jpg', 'shirt=1', '--user', 'bob')).toMatchObject({ code: 0, stdout: 'imgs/new/d.jpg: shirt empty -> 1\n' })

    const history = JSON.parse((await tagsmith('history', '--store', url, '--json')).stdout) as Array<{ author: string; kind: string }>
    expect(history.map((h) => [h.kind, h.author])).toEqual([
      ['cells', 'bob'],
      ['images-add', 'bob'],
      ['label-add', 'ann'],
    ])
    const out = tempDir()
    expect((await tagsmith('export', '--store', url, '--out', out)).code).toBe(0)
    expect(readFileSync(join(out, 'train.csv'), 'utf8')).toBe(',image,black,dress,shirt\n0,imgs/a.jpg,1,1,0\n')
    expect(readFileSync(join(out, 'val.csv'), 'utf8')).toBe(',image,black,dress,shirt\n0,imgs/b.jpg,0,0,0\n1,imgs/new/c.jpg,,,\n2,imgs/new/d.jpg,,,1\n')

    rmSync(join(dir, 'imgs/new/c.jpg'))
    const rescan = await tagsmith('rescan', '--store', url, '--json')
    expect(JSON.parse(rescan.stdout)).toEqual({ missing: 1, back: 0, new: [] })
    expect(JSON.parse((await tagsmith('rescan', '--store', url, '--json')).stdout)).toEqual({ missing: 0, back: 0, new: [] })
  })

  it('imports a folder of images straight into a database, labels from folder names, and exports it as CSVs', async () => {
    const dir = tempDir()
    writeDistinctImages(dir, ['photos/black_dress/a.jpg', 'photos/red_shirt/b.jpg'])
    const url = await freshDatabase()
    const imported = await tagsmith('import', '--folder', join(dir, 'photos'), '--labels-from-folders', '_', '--split', 'train', '--store', url, '--json')
    expect(imported.stderr).toBe('')
    expect(JSON.parse(imported.stdout)).toMatchObject({ rows: 2, labels: ['black', 'dress', 'red', 'shirt'], project: expect.stringMatching(/^postgresql:\/\//) })
    expect((await tagsmith('export', '--store', url)).code).toBe(0)
    expect(readFileSync(join(dir, 'photos', 'train.csv'), 'utf8')).toBe(',image,black,dress,red,shirt\n0,black_dress/a.jpg,1,1,0,0\n1,red_shirt/b.jpg,0,0,1,1\n')
  })
})
