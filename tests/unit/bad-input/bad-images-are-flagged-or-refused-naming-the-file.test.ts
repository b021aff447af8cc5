import Database from 'better-sqlite3'
import { existsSync, writeFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ImageRow, ImportReport } from '../../../src-preload/contract.ts'
import type { Service } from '../../../src-main/core/service/index.ts'
import { openDatabase } from '../../../src-main/core/db/open.ts'
import { initBackend } from '../../../src-main/core/ml/backend.ts'
import { resolveBackbone } from '../../../src-main/core/ml/backbones/catalog.ts'
import { loadBackbone } from '../../../src-main/core/ml/backbones/load.ts'
import { extractFeatures, type ExtractReport } from '../../../src-main/core/ml/extract.ts'
import { TINY_LAYERS, writeTinyBackbone } from '../../integration/fault/support/tiny-backbone.ts'
import { writeSamples, type Samples } from '../images/sample-images.ts'
import { expectPlainMessage, newService, removeTemps, resultOf, tempDir } from './support/service.ts'
import { tables } from './support/snapshot.ts'

type SampleName = keyof Omit<Samples, 'missing' | 'orient6' | 'grey' | 'wide'>

interface ImageCase {
  name: string
  sample: SampleName
  /** Import only sniffs the file; a damaged body is found when the pixels are decoded. */
  imported: 'ok' | 'corrupt'
  importReason?: RegExp
  /** The thumbnail the grid asks for: made, or refused naming the file. */
  thumbnail: 'made' | RegExp
}

const CASES: ImageCase[] = [
  { name: 'a 0-byte file', sample: 'empty', imported: 'corrupt', importReason: /^empty file$/, thumbnail: /^image 1 \(empty\.jpg\) is corrupt$/ },
  { name: 'a truncated JPEG', sample: 'truncated', imported: 'ok', thumbnail: /truncated\.jpg: truncated image data \(the JPEG file ends before its end-of-image marker\)/ },
  { name: 'a PNG with alpha', sample: 'alpha', imported: 'ok', thumbnail: 'made' },
  { name: 'a CMYK JPEG', sample: 'cmyk', imported: 'ok', thumbnail: 'made' },
  { name: 'a 16-bit PNG', sample: 'rgb16', imported: 'ok', thumbnail: 'made' },
  { name: 'a 30000×30000 decompression bomb', sample: 'bomb', imported: 'ok', thumbnail: /bomb\.png: image is 30000×30000 \(900 MP\), above the limit of 100 MP/ },
  { name: 'an animated GIF', sample: 'gif', imported: 'ok', thumbnail: 'made' },
  { name: 'text renamed .jpg', sample: 'text', imported: 'corrupt', importReason: /^not a JPEG, PNG, WebP, GIF, TIFF or AVIF image$/, thumbnail: /^image 8 \(notes\.jpg\) is corrupt$/ },
]

describe('bad images in a dataset', () => {
  let service: Service
  let samples: Samples
  let report: ImportReport
  let rows: ImageRow[] = []
  let projectFile = ''

  beforeAll(async () => {
    const dir = tempDir('images')
    samples = await writeSamples(dir)
    const lines = CASES.map((c) => `${basename(samples[c.sample])},1`)
    writeFileSync(join(dir, 'train.csv'), `image,cat\n${lines.join('\n')}\n`)
    service = newService()
    const imported = resultOf<{ report: ImportReport; info: { file: string } }>(await service.handle('project:import', { csvs: [join(dir, 'train.csv')] }), 'import')
    report = imported.report
    projectFile = imported.info.file
    rows = resultOf<ImageRow[]>(await service.handle('images:list', {}), 'images:list')
  })
  afterAll(() => {
    service.close()
    removeTemps()
  })

  CASES.forEach((c, i) => {
    it(`is kept, flagged or refused by name, never a crash: ${c.name}`, async () => {
      const row = rows[i]
      expect(row).toMatchObject({ path: basename(samples[c.sample]), status: c.imported })
      const flagged = report.flagged.find((f) => f.line === i + 2)
      if (c.imported === 'ok') expect(flagged).toBeUndefined()
      else expect(flagged).toMatchObject({ source: 'train.csv', line: i + 2, path: row?.path, status: 'corrupt', reason: expect.stringMatching(c.importReason ?? /./) })

      const before = tables(projectFile)
      const thumb = service.imageFile(row?.id ?? 0, 'thumb')
      if (c.thumbnail === 'made') {
        expect(existsSync(await thumb)).toBe(true)
      } else {
        const error = await thumb.then(
          () => expect.unreachable('a thumbnail was made'),
          (err: unknown) => err as { code: string; message: string },
        )
        expect(error.message).toMatch(c.thumbnail)
        expect(['BAD_INPUT', 'NOT_FOUND']).toContain(error.code)
        expectPlainMessage(error.message)
      }
      // Showing an image never writes to the project.
      expect(tables(projectFile)).toBe(before)
    })
  })

  it('feature extraction skips each bad image naming it and stores features for the good ones only', async () => {
    await initBackend({ only: ['cpu'] })
    const { dir } = await writeTinyBackbone(join(tempDir('tiny'), 'tiny'))
    const extractor = await loadBackbone(resolveBackbone(dir, { layers: TINY_LAYERS }))
    const dbFile = join(tempDir('features'), 'features.tagsmith')
    const db = openDatabase(dbFile)
    let result: ExtractReport
    try {
      const images = rows.flatMap((r, i) => (r.status === 'ok' ? [{ id: r.id, absPath: samples[CASES[i]?.sample ?? 'empty'], hash: `hash-${r.id}` }] : []))
      result = await extractFeatures(db, extractor, images, { batchSize: 3 })
    } finally {
      extractor.dispose()
      db.close()
    }
    const refused = CASES.filter((c) => c.imported === 'ok' && c.thumbnail !== 'made')
    expect(result.skipped.map((s) => basename(s.absPath)).sort()).toEqual(refused.map((c) => basename(samples[c.sample])).sort())
    for (const s of result.skipped) expect(s.reason).toContain(basename(s.absPath))
    const stored = new Database(dbFile, { readonly: true })
    const count = Number(stored.prepare('SELECT count(*) FROM features').pluck().get())
    stored.close()
    expect(count).toBe(CASES.filter((c) => c.thumbnail === 'made').length)
  })
})
