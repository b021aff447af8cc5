import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImportReport, ProjectInfo } from '../../../src-preload/contract.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import {
  apparelProject,
  errorOf,
  expectPlainMessage,
  expectServiceAlive,
  newService,
  removeTemps,
  resultOf,
  sampleJpeg,
  tempDir,
} from './support/service.ts'
import { bytesOf, tables, tree } from './support/snapshot.ts'

interface RefusedCsv {
  name: string
  /** The CSV's bytes; a function builds something else at the path (a folder, nothing). */
  csv: string | Uint8Array | ((path: string) => void)
  code?: 'BAD_INPUT' | 'NOT_FOUND'
  message: RegExp
}

const BOM = '\uFEFF'
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108020000009077', 'hex')

// Each refused CSV: the message names the file, and the line, column and value where there is one.
const REFUSED: RefusedCsv[] = [
  { name: 'a ragged row with too few fields, CRLF', csv: 'image,cat,dog\r\na.jpg,1,0\r\nb.jpg,1\r\n', message: /^train\.csv line 3: ragged row with 2 fields; the header has 3$/ },
  { name: 'a ragged row with too many fields, tab-separated', csv: 'image\tcat\na.jpg\t1\tx\n', message: /^train\.csv line 2: ragged row with 3 fields; the header has 2$/ },
  { name: 'the value 2', csv: 'image,cat\na.jpg,1\nb.jpg,2\n', message: /^train\.csv line 3, column 2 \(cat\): value "2" is not 0\/1/ },
  { name: 'the value 0.5', csv: 'image,cat\na.jpg,0.5\n', message: /^train\.csv line 2, column 2 \(cat\): value "0\.5" is not 0\/1/ },
  { name: 'a value with a leading space', csv: 'image,cat\na.jpg, 1\n', message: /^train\.csv line 2, column 2 \(cat\): value " 1" is not 0\/1/ },
  { name: 'the value NaN', csv: 'image,cat,dog\na.jpg,0,NaN\n', message: /^train\.csv line 2, column 3 \(dog\): value "NaN" is not 0\/1/ },
  { name: 'a quoted value holding a comma', csv: 'image,cat\na.jpg,"1,0"\n', message: /^train\.csv line 2, column 2 \(cat\): value "1,0" is not 0\/1/ },
  { name: 'the same path twice', csv: 'image,cat\na.jpg,1\na.jpg,0\n', message: /^train\.csv line 3, column 1 \(image\): duplicate image path "a\.jpg" \(also train\.csv line 2\)$/ },
  { name: 'the same image through a/../', csv: 'image,cat\nb.jpg,1\nsub/../b.jpg,0\n', message: /^train\.csv line 3, column 1 \(image\): duplicate image path "sub\/\.\.\/b\.jpg" \(also train\.csv line 2\)$/ },
  { name: 'a bad value after a byte-order mark', csv: `${BOM}image,cat\na.jpg,x\n`, message: /^train\.csv line 2, column 2 \(cat\): value "x" is not 0\/1/ },
  { name: 'a bad value on line 4 of a CRLF file', csv: 'image,cat\r\na.jpg,1\r\nb.jpg,0\r\nc.jpg,-1\r\n', message: /^train\.csv line 4, column 2 \(cat\): value "-1" is not 0\/1/ },
  { name: 'a bad value after a quoted path spanning two lines', csv: 'image,cat\n"a\nx.jpg",1\nb.jpg,7\n', message: /^train\.csv line 4, column 2 \(cat\): value "7" is not 0\/1/ },
  { name: 'a quote never closed on the last row', csv: 'image,cat\na.jpg,1\n"b.jpg,0\n', message: /^train\.csv line 3, column 1: quoted field is never closed$/ },
  { name: 'an empty file', csv: '', message: /^train\.csv line 1: the header is empty$/ },
  { name: 'blank lines only', csv: '\n\r\n  \n', message: /^train\.csv line 1: the header is empty$/ },
  { name: 'a byte-order mark and nothing else', csv: BOM, message: /^train\.csv line 1: the header is empty$/ },
  { name: 'a Latin-1 byte in the header', csv: Buffer.concat([Buffer.from('image,caf'), Buffer.from([0xe9]), Buffer.from('\na.jpg,1\n')]), message: /^train\.csv is not UTF-8 text \(first invalid byte on line 1\)/ },
  { name: 'UTF-16 big-endian text', csv: Buffer.from([0xfe, 0xff, 0x00, 0x69, 0x00, 0x6d]), message: /^train\.csv is UTF-16 text; save it as UTF-8/ },
  { name: 'a PNG named train.csv', csv: PNG, message: /^train\.csv is not UTF-8 text \(first invalid byte on line 1\)/ },
  { name: 'a label column named image (the image column twice)', csv: 'image,image\na.jpg,1\n', message: /^train\.csv line 1, column 2: column name "image" repeats column 1$/ },
  { name: 'an "image" column holding 0/1 beside the paths', csv: 'path,image\na.jpg,1\n', message: /^train\.csv line 2, column 1 \(path\): value "a\.jpg" is not 0\/1/ },
  { name: 'a folder where the CSV should be', csv: (path) => mkdirSync(path), message: /^CSV file is not a file: .*train\.csv$/ },
  { name: 'a CSV that does not exist', csv: () => {}, code: 'NOT_FOUND', message: /^CSV file not found: .*train\.csv$/ },
]

describe('a bad CSV given to project:import', () => {
  let service: Service
  let baseline = ''

  beforeAll(async () => {
    service = newService()
    baseline = await apparelProject()
    resultOf(await service.handle('project:open', { file: baseline }), 'opening the baseline')
  })
  afterAll(() => {
    service.close()
    removeTemps()
  })

  /** Writes a.jpg, b.jpg and the CSV into a new folder; returns the folder and the CSV path. */
  function dataset(csv: RefusedCsv['csv']): { dir: string; csv: string } {
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jpg'), sampleJpeg())
    writeFileSync(join(dir, 'b.jpg'), sampleJpeg())
    const path = join(dir, 'train.csv')
    if (typeof csv === 'function') csv(path)
    else writeFileSync(path, csv)
    return { dir, csv: path }
  }

  for (const c of REFUSED) {
    it(`is refused with a message naming it: ${c.name}`, async () => {
      const { dir, csv } = dataset(c.csv)
      const folderBefore = tree(dir)
      const projectBefore = tables(baseline)
      const error = errorOf(await service.handle('project:import', { csvs: [csv] }), c.name)
      expect(error.code).toBe(c.code ?? 'BAD_INPUT')
      expect(error.message).toMatch(c.message)
      expectPlainMessage(error.message)
      // Nothing written: no project or temp file beside the CSV, the CSV itself untouched, the open project as it was.
      expect(tree(dir)).toEqual(folderBefore)
      expect(tables(baseline)).toBe(projectBefore)
      await expectServiceAlive(service, baseline)
    })
  }

  it('is refused naming a 1 MB value without echoing all of it', async () => {
    const { dir, csv } = dataset(`image,cat\na.jpg,${'1'.repeat(1_000_000)}\n`)
    const folderBefore = tree(dir)
    const error = errorOf(await service.handle('project:import', { csvs: [csv] }), 'a 1 MB cell')
    expect(error.message).toMatch(/^train\.csv line 2, column 2 \(cat\): value "1111/)
    expect(tree(dir)).toEqual(folderBefore)
    await expectServiceAlive(service, baseline)
    expect(error.message.length).toBeLessThan(1000)
  })
})

describe('an odd but valid CSV', () => {
  afterAll(removeTemps)

  it('with a byte-order mark, CRLF and quoted paths holding commas, quotes and a line break imports and exports byte for byte', async () => {
    const service = newService()
    const dir = tempDir()
    const names = ['a, b.jpg', 'say "hi".jpg', 'two\nlines.jpg']
    for (const n of names) writeFileSync(join(dir, n), sampleJpeg())
    const text = `${BOM}image,cat,dog\r\n"a, b.jpg",1,0\r\n"say ""hi"".jpg",0,1\r\n"two\nlines.jpg",1,1\r\n`
    const csv = join(dir, 'train.csv')
    writeFileSync(csv, text)
    const { report } = resultOf<{ report: ImportReport }>(await service.handle('project:import', { csvs: [csv] }), 'import')
    expect(report).toMatchObject({ rows: 3, labels: ['cat', 'dog'], missing: 0, corrupt: 0 })
    resultOf(await service.handle('dataset:export', { outDir: join(dir, 'out') }), 'export')
    expect(readFileSync(join(dir, 'out', 'train.csv'), 'utf8')).toBe(text)
    expect(readFileSync(csv, 'utf8')).toBe(text)
    service.close()
  })

  it('with labels named __proto__, constructor and toString keeps them apart in every answer', async () => {
    const service = newService()
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jpg'), sampleJpeg())
    writeFileSync(join(dir, 'train.csv'), 'image,__proto__,constructor,toString\na.jpg,0,0,0\n')
    const { info } = resultOf<{ info: ProjectInfo }>(await service.handle('project:import', { csvs: [join(dir, 'train.csv')] }), 'import')
    expect(info.labels).toEqual(['__proto__', 'constructor', 'toString'])
    const changes = ['__proto__', 'constructor', 'toString'].map((label) => ({ imageId: 1, label, value: 1 as const }))
    resultOf(await service.handle('labels:set', { changes }), 'labels:set')
    const rows = resultOf<Array<{ labels: number[] }>>(await service.handle('images:list', {}), 'images:list')
    expect(rows[0]?.labels).toEqual([1, 1, 1])
    const summary = resultOf<{ cells: number; byLabel: Record<string, unknown> }>(await service.handle('dataset:changes', {}), 'dataset:changes')
    expect(summary.cells).toBe(3)
    expect(Object.prototype).not.toHaveProperty('set')
    expect(Object.keys(summary.byLabel)).toEqual(['__proto__', 'constructor', 'toString'])
    expect(Object.values(summary.byLabel)).toEqual([1, 2, 3].map(() => ({ set: 1, cleared: 0 })))
    service.close()
  })

  it('with a second column spelled "Image" (a label named image) is not read silently', async () => {
    const service = newService()
    const dir = tempDir()
    writeFileSync(join(dir, 'a.jpg'), sampleJpeg())
    writeFileSync(join(dir, 'b.jpg'), sampleJpeg())
    const csv = join(dir, 'train.csv')
    writeFileSync(csv, 'image,Image,cat\na.jpg,b.jpg,1\n')
    const before = bytesOf(csv)
    const reply = await service.handle('project:import', { csvs: [csv] })
    expect(bytesOf(csv)).toBe(before)
    await expectServiceAlive(service, reply.ok ? join(dir, 'dataset.tagsmith') : null)
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^train\.csv line 1, column 2: column "Image" and column 1 "image" are both read as the image column/) } })
    service.close()
  })

  it('with a header and no rows is reported as empty', async () => {
    const service = newService()
    const dir = tempDir()
    const csv = join(dir, 'train.csv')
    writeFileSync(csv, 'image,cat\r\n')
    const before = bytesOf(csv)
    const reply = await service.handle('project:import', { csvs: [csv] })
    expect(bytesOf(csv)).toBe(before)
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: expect.stringMatching(/^train\.csv.*no (data )?rows/) } })
    expect(tree(dir)).toEqual({ 'train.csv': before })
    service.close()
  })
})
