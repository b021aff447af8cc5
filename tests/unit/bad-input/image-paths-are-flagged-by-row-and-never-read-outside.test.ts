import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FlaggedRow, ImageRow, ImportReport } from '../../../src-preload/contract.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { apparelProject, errorOf, expectPlainMessage, expectServiceAlive, newService, removeTemps, resultOf, sampleJpeg, tempDir } from './support/service.ts'
import { bytesOf, tables, tree } from './support/snapshot.ts'

interface PathCase {
  name: string
  /** The image cell as written; `inside` and `outside` are replaced by those folders. */
  path: (folders: { inside: string; outside: string }) => string
  status: 'ok' | 'missing' | 'corrupt' | 'outside'
  reason?: RegExp
}

const CASES: PathCase[] = [
  { name: '.. out of the folder', path: () => '../outside.jpg', status: 'outside', reason: /^path leaves the images folder \(\.\.\)$/ },
  { name: '.. hidden in the middle', path: () => 'sub/../../outside-2.jpg', status: 'outside', reason: /^path leaves the images folder \(\.\.\)$/ },
  { name: '.. with backslashes', path: () => '..\\outside-3.jpg', status: 'outside', reason: /^path leaves the images folder \(\.\.\)$/ },
  { name: 'an absolute path outside the folder', path: (f) => join(f.outside, 'outside.jpg'), status: 'outside', reason: /^absolute path outside the images folder$/ },
  { name: 'an absolute system path', path: () => '/etc/passwd', status: 'outside', reason: /^absolute path outside the images folder$/ },
  { name: 'an absolute path inside the folder', path: (f) => join(f.inside, 'sub', 'abs.jpg'), status: 'ok' },
  { name: 'a Windows drive letter', path: () => 'C:\\images\\a.jpg', status: 'outside', reason: /^Windows drive or network path$/ },
  { name: 'a lower-case drive letter with slashes', path: () => 'd:/photos/a.jpg', status: 'outside', reason: /^Windows drive or network path$/ },
  { name: 'a network share', path: () => '\\\\server\\share\\a.jpg', status: 'outside', reason: /^Windows drive or network path$/ },
  { name: 'a relative path with backslashes', path: () => 'sub\\back.jpg', status: 'ok' },
  { name: 'a file that does not exist', path: () => 'sub/nowhere.jpg', status: 'missing', reason: /^file not found$/ },
  { name: 'a path through a file', path: () => 'sub/back.jpg/x.jpg', status: 'missing', reason: /^file not found$/ },
  { name: 'a folder', path: () => 'sub', status: 'corrupt', reason: /^is a folder, not a file$/ },
  { name: 'a file: URL', path: () => 'file:///etc/passwd', status: 'missing', reason: /^file not found$/ },
  {
    name: 'a NUL character',
    path: () => 'sub/a\u0000.jpg',
    status: 'missing',
    reason: /NUL character/,
  },
]

describe('image paths in a CSV', () => {
  let service: Service
  let dir = ''
  let outside = ''
  let report: ImportReport
  let rows: ImageRow[] = []
  let outsideBefore: Record<string, string> = {}

  beforeAll(async () => {
    const root = tempDir('paths')
    dir = join(root, 'dataset')
    outside = root
    mkdirSync(join(dir, 'sub'), { recursive: true })
    for (const f of ['outside.jpg', 'outside-2.jpg', 'outside-3.jpg']) writeFileSync(join(outside, f), sampleJpeg())
    for (const f of ['sub/abs.jpg', 'sub/back.jpg']) writeFileSync(join(dir, f), sampleJpeg())
    outsideBefore = tree(outside, (name) => name.startsWith('dataset'))
    const quote = (cell: string): string => `"${cell.replace(/"/g, '""')}"`
    const lines = CASES.map((c, i) => `${quote(c.path({ inside: dir, outside }))},${i % 2}`)
    writeFileSync(join(dir, 'train.csv'), `image,cat\n${lines.join('\n')}\n`)
    service = newService()
    report = resultOf<{ report: ImportReport }>(await service.handle('project:import', { csvs: [join(dir, 'train.csv')] }), 'import').report
    rows = resultOf<ImageRow[]>(await service.handle('images:list', {}), 'images:list')
  })
  afterAll(() => {
    service.close()
    removeTemps()
  })

  CASES.forEach((c, i) => {
    it(`keeps the row and flags it by file, line and path: ${c.name}`, async () => {
      const written = c.path({ inside: dir, outside })
      const row = rows[i]
      expect(row).toMatchObject({ path: written, status: c.status, labels: [i % 2] })
      const flagged = report.flagged.find((f: FlaggedRow) => f.line === i + 2)
      if (c.status === 'ok') {
        expect(flagged).toBeUndefined()
        return
      }
      expect(flagged).toMatchObject({ source: 'train.csv', line: i + 2, path: written, status: c.status })
      if (c.reason) expect(flagged?.reason).toMatch(c.reason)
      // Never read: no content hash, and the image is not served.
      const record = service.project?.image(row?.id ?? 0)
      expect(record).toMatchObject({ hash: null, bytes: null })
      await expect(service.imageFile(row?.id ?? 0, 'full')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(c.status) })
    })
  })

  it('never writes outside the dataset folder', () => {
    expect(tree(outside, (name) => name.startsWith('dataset'))).toEqual(outsideBefore)
    expect(report.rows).toBe(CASES.length)
  })
})

describe('paths given to requests', () => {
  let service: Service
  let baseline = ''

  beforeAll(async () => {
    service = newService()
    baseline = await apparelProject(4)
    resultOf(await service.handle('project:open', { file: baseline }), 'open baseline')
  })
  afterAll(() => {
    service.close()
    removeTemps()
  })

  it('project:open of a relative path that does not exist answers NOT_FOUND naming it', async () => {
    const error = errorOf(await service.handle('project:open', { file: '../nowhere/x.tagsmith' }), 'open')
    expect(error).toEqual({ code: 'NOT_FOUND', message: expect.stringMatching(/^project file not found: .*nowhere\/x\.tagsmith$/) })
    await expectServiceAlive(service, baseline)
  })

  it('project:open of a device answers BAD_INPUT naming it', async () => {
    const error = errorOf(await service.handle('project:open', { file: '/dev/zero' }), 'open /dev/zero')
    expect(error).toEqual({ code: 'BAD_INPUT', message: 'project file is not a file: /dev/zero' })
    await expectServiceAlive(service, baseline)
  })

  it('project:import of a Windows path answers NOT_FOUND naming it', async () => {
    const error = errorOf(await service.handle('project:import', { csvs: ['C:\\data\\train.csv'] }), 'import C:')
    expect(error).toEqual({ code: 'NOT_FOUND', message: 'CSV file not found: C:\\data\\train.csv' })
    await expectServiceAlive(service, baseline)
  })

  it('dataset:export into a path that is a file answers BAD_INPUT naming it, and writes nothing', async () => {
    const dir = tempDir()
    const file = join(dir, 'not-a-folder')
    writeFileSync(file, 'x')
    const bytes = bytesOf(file) ?? ''
    const before = tables(baseline)
    const error = errorOf(await service.handle('dataset:export', { outDir: file }), 'export into a file')
    expect(error.message).toContain('not-a-folder')
    expectPlainMessage(error.message)
    expect(error).toEqual({ code: 'BAD_INPUT', message: expect.stringMatching(/not-a-folder.*(is a file|not a folder)/) })
    expect(tree(dir)).toEqual({ 'not-a-folder': bytes })
    expect(tables(baseline)).toBe(before)
    await expectServiceAlive(service, baseline)
  })

  it('project:import with an images folder that does not exist names the folder', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'train.csv'), 'image,cat\na.jpg,1\n')
    const imagesDir = join(dir, 'no-such-folder')
    const reply = await service.handle('project:import', { csvs: [join(dir, 'train.csv')], imagesDir })
    await expectServiceAlive(service, reply.ok ? join(dir, 'dataset.tagsmith') : baseline)
    if (reply.ok) resultOf(await service.handle('project:open', { file: baseline }), 'reopen baseline')
    expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', message: `images folder not found: ${imagesDir}` } })
  })
})
