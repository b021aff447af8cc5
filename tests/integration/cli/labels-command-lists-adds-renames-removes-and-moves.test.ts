import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { tagsmith, tagsmithInProcess } from './run-cli.ts'

// `tagsmith labels P` lists; add, rename, remove and move change the label set, each one undoable step;
// export writes the new header and keeps every other byte. Images need not exist: missing ones are flagged.
let dir: string
let project: string
const CSV = ',image,black,blue,dress\r\n0,"a.jpg",1.0,0.0,1.0\r\n1,b.jpg,0.0,,0.0\r\n'

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tagsmith-cli-labels-'))
  const csv = path.join(dir, 'train.csv')
  fs.writeFileSync(csv, CSV)
  project = path.join(dir, 'p.tagsmith')
  ;(await Project.importCsvs({ csvs: [csv], projectFile: project })).project.close()
})

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

const cli = tagsmithInProcess

const names = (stdout: string): string[] => (JSON.parse(stdout) as { labels: Array<{ name: string }> }).labels.map((l) => l.name)

describe('tagsmith labels', () => {
  it('lists the labels with their counts, as text and JSON', async () => {
    const text = await tagsmith('labels', project)
    expect(text).toMatchObject({ code: 0, stderr: '' })
    expect(text.stdout).toBe('  #  name       set    empty\n  1  black        1        0\n  2  blue         0        1\n  3  dress        1        0\n')
    const listed = await cli('labels', project, '--json')
    expect(JSON.parse(listed.stdout)).toEqual({
      labels: [
        { position: 1, name: 'black', set: 1, empty: 0 },
        { position: 2, name: 'blue', set: 0, empty: 1 },
        { position: 3, name: 'dress', set: 1, empty: 0 },
      ],
    })
  })

  it('adds, renames, moves and removes, and export writes the new header and keeps every other byte', async () => {
    const add = await cli('labels', project, 'add', 'hat', '--value', '0', '--json')
    expect(add.code).toBe(0)
    expect(JSON.parse(add.stdout)).toMatchObject({ step: { structure: 'label-add' }, labels: [{}, {}, {}, { name: 'hat', set: 0, empty: 0 }] })
    const empty = await cli('labels', project, 'add', 'size, "XL"')
    expect(empty.stdout.split('\n')[0]).toBe('added "size, \\"XL\\"" (empty on every image)')

    const rename = await cli('labels', project, 'rename', 'blue', 'navy', '--json')
    expect(names(rename.stdout)).toEqual(['black', 'navy', 'dress', 'hat', 'size, "XL"'])
    const move = await cli('labels', project, 'move', 'dress', '--to', '1', '--json')
    expect(names(move.stdout)).toEqual(['dress', 'black', 'navy', 'hat', 'size, "XL"'])
    const remove = await cli('labels', project, 'remove', 'black')
    expect(remove).toMatchObject({ code: 0, stderr: '' })
    expect(remove.stdout.split('\n')[0]).toBe('removed "black"')

    const out = path.join(dir, 'out')
    expect((await cli('export', project, '--out', out)).code).toBe(0)
    expect(fs.readFileSync(path.join(out, 'train.csv'), 'utf8')).toBe(
      ',image,dress,navy,hat,"size, ""XL"""\r\n0,"a.jpg",1.0,0.0,0.0,\r\n1,b.jpg,0.0,,0.0,\r\n',
    )
  })

  it('refuses bad actions and names, naming the value, and changes nothing', async () => {
    const before = (await cli('labels', project, '--json')).stdout
    const cases: Array<[string[], string]> = [
      [['add', ''], 'may not be empty'],
      [['add', 'IMAGE'], '"IMAGE"'],
      [['add', 'Navy'], 'a label named "Navy" already exists (as "navy")'],
      [['add', 'x', '--value', '1'], '--value must be 0 or empty, got "1"'],
      [['rename', 'purple', 'violet'], 'no label named "purple"'],
      [['rename', 'navy'], 'rename takes the old name and the new one'],
      [['move', 'navy', '--to', 'first'], '--to: bad value "first"'],
      [['move', 'navy', '--to', '9'], 'position 9 is not between 1 and 4'],
      [['move', 'navy'], 'move needs --to'],
      [['remove', 'mauve'], 'no label named "mauve"'],
      [['drop', 'navy'], 'unknown action "drop"'],
    ]
    for (const [args, message] of cases) {
      const run = await cli('labels', project, ...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr, args.join(' ')).toContain(message)
    }
    expect((await cli('labels', project, '--json')).stdout).toBe(before)
  })

  it('refuses to remove the last label', async () => {
    const one = path.join(dir, 'one.csv')
    fs.writeFileSync(one, 'image,cat\na.jpg,1\n')
    const file = path.join(dir, 'one.tagsmith')
    ;(await Project.importCsvs({ csvs: [one], projectFile: file })).project.close()
    const run = await cli('labels', file, 'remove', 'cat')
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('cannot remove "cat": it is the only label')
  })
})
