import Database from 'better-sqlite3'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMigrations } from '../../../src-main/core/db/migrations.ts'
import { copyApparel, tempDir, writeImages, writeText } from '../../unit/dataset/helpers.ts'
import { tagsmith } from './run-cli.ts'

describe('tagsmith CLI', () => {
  it('imports the fixture with --json, labels an image, reports stats and exports only that cell', async () => {
    const dir = copyApparel()
    const train = join(dir, 'train.csv')
    const val = join(dir, 'val.csv')
    const imported = await tagsmith('import', train, val, '--json')
    expect(imported.code).toBe(0)
    expect(JSON.parse(imported.stdout)).toEqual({
      project: join(dir, 'dataset.tagsmith'),
      rows: 1167,
      labels: ['black', 'blue', 'brown', 'green', 'red', 'white', 'dress', 'shirt', 'pants', 'shorts', 'shoes'],
      splits: { train: 934, val: 233, test: 0 },
      missing: 0,
      corrupt: 0,
      outside: 0,
    })
    const project = join(dir, 'dataset.tagsmith')

    const firstRow = readFileSync(train, 'utf8').split('\n')[1] ?? ''
    const path = firstRow.split(',')[1] ?? ''
    const labelled = await tagsmith('label', project, path.replace(/^\.\//, '').replace(/\//g, '\\'), 'black=1', 'brown=0', '--json')
    expect(labelled.code).toBe(0)
    expect(JSON.parse(labelled.stdout).changes).toEqual([
      { imageId: 1, label: 'black', old: 0, new: 1 },
      { imageId: 1, label: 'brown', old: 1, new: 0 },
    ])

    const stats = await tagsmith('stats', project, '--json')
    expect(stats.code).toBe(0)
    const parsed = JSON.parse(stats.stdout)
    expect(parsed.perSplit.train.images).toBe(934)
    expect(parsed.perSplit.train.counts.black).toBe(201)
    expect(parsed.cooccurrence).toHaveLength(11)

    const out = join(dir, 'out')
    const exported = await tagsmith('export', project, '--out', out, '--json')
    expect(exported.code).toBe(0)
    expect(JSON.parse(exported.stdout)).toEqual({ files: [join(out, 'train.csv'), join(out, 'val.csv')] })
    const before = readFileSync(train, 'utf8').split('\n')
    const after = readFileSync(join(out, 'train.csv'), 'utf8').split('\n')
    expect(after[1]).toBe(firstRow.replace(/,0,0,1,/, ',1,0,0,'))
    expect(after.slice(2)).toEqual(before.slice(2))
    expect(readFileSync(join(out, 'val.csv')).equals(readFileSync(val))).toBe(true)
  }, 60_000)

  it('prints a human report listing flagged rows, and refuses to overwrite a project', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg'])
    const csv = writeText(dir, 'labels.csv', 'image,cat\na.jpg,1\ngone.jpg,0\n../up.jpg,1\n')
    const first = await tagsmith('import', csv, '--project', join(dir, 'my.tagsmith'))
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('Imported 3 rows')
    expect(first.stdout).toContain('Flagged: 1 missing, 0 corrupt, 1 outside the images folder')
    expect(first.stdout).toContain('labels.csv line 3: missing gone.jpg (file not found)')
    expect(first.stdout).toContain('labels.csv line 4: outside ../up.jpg')
    const again = await tagsmith('import', csv, '--project', join(dir, 'my.tagsmith'))
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already exists/)
    expect((await tagsmith('import', csv, '--project', join(dir, 'my.tagsmith'), '--replace', '--json')).code).toBe(0)
  }, 60_000)

  it('exits 2 with the report on stderr and no stack for bad input, creating no project', async () => {
    const dir = tempDir()
    const csv = writeText(dir, 'train.csv', 'image,cat\na.jpg,maybe\n')
    const run = await tagsmith('import', csv, '--json')
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe('tagsmith import: train.csv line 2, column 2 (cat): value "maybe" is not 0/1 (accepted: 0, 1, 0.0, 1.0, true, false (any case), or empty)\n')
    expect(existsSync(join(dir, 'dataset.tagsmith'))).toBe(false)

    const cases: string[][] = [
      ['import'],
      ['import', csv, '--nope'],
      ['export', join(dir, 'missing.tagsmith')],
      ['label', join(dir, 'missing.tagsmith'), 'a.jpg', 'cat=1'],
      ['frobnicate'],
      [],
    ]
    const runs = await Promise.all(cases.map((args) => tagsmith(...args)))
    runs.forEach((r, i) => {
      expect(r.code, cases[i]?.join(' ')).toBe(2)
      expect(r.stderr).toMatch(/^(tagsmith|Usage: tagsmith)/)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    })
  }, 60_000)

  it('exits 1 with a one-line message and no stack on an internal error', async () => {
    // A file at the current schema level whose tables are gone: not the user's input, a broken store.
    const file = join(tempDir(), 'broken.tagsmith')
    const db = new Database(file)
    db.pragma(`user_version = ${loadMigrations().at(-1)?.version ?? 0}`)
    db.close()
    const run = await tagsmith('stats', file)
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^tagsmith stats: internal error: no such table: labels\n$/)
  }, 60_000)

  it('rejects unknown images, labels and values in `label`', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg'])
    const csv = writeText(dir, 'train.csv', 'image,cat\na.jpg,1\n')
    expect((await tagsmith('import', csv, '--json')).code).toBe(0)
    const project = join(dir, 'dataset.tagsmith')
    const [noImage, noLabel, bad] = await Promise.all([
      tagsmith('label', project, 'b.jpg', 'cat=1'),
      tagsmith('label', project, 'a.jpg', 'dog=1'),
      tagsmith('label', project, 'a.jpg', 'cat=2'),
    ])
    expect(noImage.stderr).toMatch(/no image "b\.jpg"/)
    expect(noLabel.stderr).toMatch(/unknown label "dog" \(labels: cat\)/)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/expected <label>=0\|1, got "cat=2"/)
    const ok = await tagsmith('label', project, './a.jpg', 'cat=0')
    expect(ok).toMatchObject({ code: 0, stdout: 'a.jpg: cat 1 -> 0\n' })
  }, 60_000)

  it('prints help for the program and for each command', async () => {
    const help = await tagsmith('--help')
    expect(help.code).toBe(0)
    const names = ['import', 'export', 'label', 'stats']
    const own = await Promise.all(names.map((name) => tagsmith(name, '--help')))
    names.forEach((name, i) => {
      expect(help.stdout).toContain(`  ${name} `)
      expect(own[i]?.code).toBe(0)
      expect(own[i]?.stdout).toMatch(new RegExp(`^Usage: tagsmith ${name} `))
    })
  }, 60_000)
})
