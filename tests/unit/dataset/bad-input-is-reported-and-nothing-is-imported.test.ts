import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Project } from '../../../src-main/core/dataset/project.ts'
import { TagsmithError } from '../../../src-main/core/errors.ts'
import { tempDir, writeImages, writeText } from './helpers.ts'

interface Case {
  name: string
  files: Record<string, string | Uint8Array>
  message: RegExp
}

const CASES: Case[] = [
  {
    name: 'a ragged row',
    files: { 'train.csv': 'image,cat\na.jpg,1\nb.jpg,1,0\n' },
    message: /^train\.csv line 3: ragged row with 3 fields; the header has 2$/,
  },
  {
    name: 'a value that is not 0/1',
    files: { 'train.csv': 'image,cat,dog\na.jpg,1,0\nb.jpg,1,yes\n' },
    message: /^train\.csv line 3, column 3 \(dog\): value "yes" is not 0\/1/,
  },
  {
    name: 'a duplicate image path, spelled differently',
    files: { 'train.csv': 'image,cat\na.jpg,1\nb.jpg,0\n.\\a.jpg,0\n' },
    message: /^train\.csv line 4, column 1 \(image\): duplicate image path "\.\\\\a\.jpg" \(also train\.csv line 2\)$/,
  },
  {
    name: 'a duplicate image path across files',
    files: { 'train.csv': 'image,cat\na.jpg,1\n', 'val.csv': 'image,cat\nb.jpg,1\na.jpg,0\n' },
    message: /^val\.csv line 3, column 1 \(image\): duplicate image path "a\.jpg" \(also train\.csv line 2\)$/,
  },
  {
    name: 'an empty header cell',
    files: { 'train.csv': 'image,,dog\na.jpg,1,0\n' },
    message: /^train\.csv line 1, column 2: empty header cell$/,
  },
  { name: 'an empty file', files: { 'train.csv': '' }, message: /^train\.csv line 1: the header is empty$/ },
  {
    name: 'no image column',
    files: { 'train.csv': 'file,cat\na.jpg,1\n' },
    message: /^train\.csv line 1: no "image" column in the header \("file", "cat"\)$/,
  },
  {
    name: 'no label column',
    files: { 'train.csv': ',image\n0,a.jpg\n' },
    message: /^train\.csv line 1: no label columns/,
  },
  {
    name: 'a repeated label name',
    files: { 'train.csv': 'image,cat,dog,cat\na.jpg,1,0,1\n' },
    message: /^train\.csv line 1, column 4: column name "cat" repeats column 2$/,
  },
  {
    name: 'files whose label columns differ',
    files: { 'train.csv': 'image,cat,dog\na.jpg,1,0\n', 'val.csv': 'image,cat,cow\nb.jpg,1,0\n' },
    message: /^val\.csv line 1: label columns differ from train\.csv \(missing "dog"; extra "cow"\)$/,
  },
  {
    name: 'text that is not UTF-8',
    files: { 'train.csv': Buffer.concat([Buffer.from('image,cat\na.jpg,1\n'), Buffer.from([0x63, 0x61, 0x66, 0xe9]), Buffer.from('.jpg,0\n')]) },
    message: /^train\.csv is not UTF-8 text \(first invalid byte on line 3\); save it as UTF-8/,
  },
  {
    name: 'UTF-16 text',
    files: { 'train.csv': Buffer.from('\uFEFFimage,cat\n', 'utf16le') },
    message: /^train\.csv is UTF-16 text; save it as UTF-8/,
  },
  {
    name: 'a quote that is never closed',
    files: { 'train.csv': 'image,cat\n"a.jpg,1\nb.jpg,0\n' },
    message: /^train\.csv line 2, column 1: quoted field is never closed$/,
  },
  {
    name: 'an empty image path',
    files: { 'train.csv': 'image,cat\na.jpg,1\n,0\n' },
    message: /^train\.csv line 3, column 1 \(image\): empty image path$/,
  },
  {
    name: 'two CSV files with one name',
    files: { 'train.csv': 'image,cat\na.jpg,1\n', 'more/train.csv': 'image,cat\nb.jpg,1\n' },
    message: /two CSV files share the name train\.csv/,
  },
]

async function importError(dir: string, csvs: string[]): Promise<TagsmithError> {
  try {
    const { project } = await Project.importCsvs({ csvs })
    project.close()
  } catch (err) {
    if (err instanceof TagsmithError) return err
    throw err
  }
  throw new Error(`import of ${csvs.join(', ')} in ${dir} succeeded`)
}

describe('bad input', () => {
  for (const c of CASES) {
    it(`is refused, naming file, line, column and value: ${c.name}`, async () => {
      const dir = tempDir()
      writeImages(dir, ['a.jpg', 'b.jpg', 'more/b.jpg'])
      const csvs = Object.entries(c.files).map(([name, text]) => writeText(dir, name, text))
      const err = await importError(dir, csvs)
      expect(err.code).toBe('BAD_INPUT')
      expect(err.message).toMatch(c.message)
      // Nothing imported: no project file, no temp file left behind.
      expect(readdirSync(dir).filter((f) => f.includes('tagsmith'))).toEqual([])
    })
  }

  it('reports a missing CSV file by path', async () => {
    const dir = tempDir()
    const err = await importError(dir, [join(dir, 'nope.csv')])
    expect(err.code).toBe('BAD_INPUT')
    expect(err.message).toBe(`CSV file not found: ${join(dir, 'nope.csv')}`)
  })
})

describe('the project file', () => {
  it('is not overwritten by a second import unless asked, and not at all by a failed one', async () => {
    const dir = tempDir()
    writeImages(dir, ['a.jpg'])
    const csv = writeText(dir, 'train.csv', 'image,cat\na.jpg,1\n')
    const { project } = await Project.importCsvs({ csvs: [csv] })
    project.edits.setLabels([{ imageId: 1, label: 'cat', value: 0 }])
    project.close()
    const file = join(dir, 'dataset.tagsmith')
    const before = readFileSync(file)

    const conflict = await importError(dir, [csv])
    expect(conflict.code).toBe('CONFLICT')
    writeText(dir, 'train.csv', 'image,cat\na.jpg,7\n')
    await expect(Project.importCsvs({ csvs: [csv], replace: true })).rejects.toThrow(/value "7"/)
    expect(readFileSync(file).equals(before)).toBe(true)

    writeText(dir, 'train.csv', 'image,cat\na.jpg,1\n')
    const replaced = await Project.importCsvs({ csvs: [csv], replace: true })
    expect(replaced.project.edits.history()).toEqual([])
    expect(replaced.project.image(1)?.labels).toEqual([1])
    replaced.project.close()
  })

  it('is not created when the import is cancelled', async () => {
    const dir = tempDir()
    const paths = Array.from({ length: 40 }, (_, i) => `img${i}.jpg`)
    writeImages(dir, paths)
    const csv = writeText(dir, 'train.csv', `image,cat\n${paths.map((p) => `${p},1\n`).join('')}`)
    const abort = new AbortController()
    const result = Project.importCsvs({
      csvs: [csv],
      signal: abort.signal,
      onProgress: () => abort.abort(),
    })
    await expect(result).rejects.toMatchObject({ code: 'CANCELLED' })
    expect(readdirSync(dir).filter((f) => f.includes('tagsmith'))).toEqual([])
  })
})
